// The `ponte` command. Node's compile cache is turned on before anything else is loaded: V8's
// code for ponte and its dependencies is kept on disk (NODE_COMPILE_CACHE, else the system's
// temporary folder), so a restart loads them without compiling them again. Then the program.

import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./cli/program.js');
