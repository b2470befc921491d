// The `ponte` command. Node's compile cache is turned on before anything else is loaded: V8's
// code for ponte and its dependencies is kept on disk (NODE_COMPILE_CACHE, else the system's
// temporary folder), so a restart loads them without compiling them again. V8's heap grows by
// half its live size between full collections instead of by a factor V8 picks from its speed
// (up to 4): after a burst of requests the server holds about 70 MiB less garbage (bench/RESULTS.md).
// `ponte serve` opens an existing embedded database while the program loads. Then the program.

import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=50');
enableCompileCache();
if (process.argv[2] === 'serve') (await import('./store/embedded.js')).openEarly(process.env);
await import('./cli/program.js');
