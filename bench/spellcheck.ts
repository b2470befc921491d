// Spell-check throughput on a ~2,000-character support message, against a tokenize-only baseline.
// Run: npx tsx bench/spellcheck.ts

import { Spellchecker } from '../src/spellcheck/spellchecker.js';
import { tokenize } from '../src/spellcheck/tokenize.js';

const MAX_ITERATIONS = 2_000;
const MAX_MILLISECONDS = 10_000;

// Misspelled on purpose: atendimentoo, sistena, relatorio, configuraçao, impresora.
const PARAGRAPHS = [
  'Bom dia, Mariana! Obrigado por entrar em contato com o atendimentoo da Ponte.',
  'Verificamos o seu chamado sobre a emissão da nota fiscal eletrônica: o sistena recusou o envio porque o certificado digital da empresa venceu na última sexta-feira.',
  'Para renovar, acesse o portal da certificadora, gere o novo certificado e depois importe o arquivo no menu Configurações > Fiscal > Certificado.',
  'Depois disso, reenvie as notas pendentes pelo relatorio de documentos rejeitados; elas serão transmitidas novamente à SEFAZ em poucos minutos.',
  'Se a rejeição continuar, confira a configuraçao do ambiente (produção ou homologação) e envie para suporte@ponte.com.br a chave de acesso abaixo:',
  '<code> 3524 0912 3456 7800 0190 5500 1000 0012 3410 0001 2345 <code>',
  'Também notamos que a impresora do caixa dois não aparece na lista de dispositivos. Reinstale o controlador pelo endereço https://ajuda.ponte.com.br/impressoras e reinicie o computador.',
  'O guarda-chuva de regras fiscais do estado mudou neste mês, então recomendamos atualizar o sistema para a versão mais recente antes do fechamento.',
  'Sobre a segunda pergunta: os boletos gerados antes da mudança de banco continuam válidos até o vencimento. Os novos boletos já saem com a conta nova, e a conciliação bancária do mês será feita automaticamente pelo arquivo de retorno.',
  'Quanto ao cadastro do cliente inadimplente, o bloqueio de vendas a prazo foi aplicado pelo financeiro. Assim que o pagamento for confirmado, o bloqueio é retirado e o vendedor recebe um aviso no painel.',
  'Lembramos ainda que a integração com o ERP sincroniza pedidos, clientes e produtos a cada quinze minutos; alterações feitas fora desse intervalo aparecem na próxima sincronização.',
  'Caso precise, podemos agendar um acesso remoto amanhã pela manhã. Ficamos à disposição para qualquer dúvida.',
  'Se preferir, responda a esta mensagem com o melhor horário e o número do telefone para contato, e um técnico ligará para acompanhar a instalação.',
  'Atenciosamente, equipe de suporte.',
];


interface Measurement {
  name: string;
  iterations: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function measure(name: string, operation: () => unknown): Measurement {
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < MAX_ITERATIONS && performance.now() - started < MAX_MILLISECONDS) {
    const t0 = performance.now();
    operation();
    durations.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? NaN;
  return { name, iterations: durations.length, perSecond: (durations.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

const message = PARAGRAPHS.join('\n\n');

const loadStarted = performance.now();
const checker = await Spellchecker.load();
const loadMs = performance.now() - loadStarted;

// The first check pays Hunspell's suggest for every new misspelling; later ones hit the cache.
const coldStarted = performance.now();
const misspellings = checker.check(message);
const coldMs = performance.now() - coldStarted;

const baseline = measure('tokenize only (baseline)', () => tokenize(message));
const check = measure('check (warm suggestion cache)', () => checker.check(message));

const ms = (value: number) => value.toFixed(3);
console.log(`message: ${message.length} chars, ${tokenize(message).length} words, ${misspellings.length} flagged: ${misspellings.map((m) => m.word).join(', ')}`);
console.log(`dictionary load: ${loadMs.toFixed(0)} ms; first check (cold suggestions): ${coldMs.toFixed(0)} ms`);
console.table(
  [baseline, check].map((m) => ({
    operation: m.name,
    iterations: m.iterations,
    'ops/s': Math.round(m.perSecond),
    'p50 ms': ms(m.p50),
    'p99 ms': ms(m.p99),
    'time vs baseline': `${(baseline.perSecond / m.perSecond).toFixed(1)}×`,
  })),
);
