// The ~2,000-character support message both spell-check benchmarks use (engine and HTTP).

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

export const SUPPORT_MESSAGE = PARAGRAPHS.join('\n\n');
