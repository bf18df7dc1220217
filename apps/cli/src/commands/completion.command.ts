import { Command } from 'commander';
import { UsageError } from '../inputs';

/** Each command path (`nestify blueprints`) and the words that may follow it. */
export function completionTable(root: Command): Array<{ path: string; words: string[] }> {
  const table: Array<{ path: string; words: string[] }> = [];
  const walk = (command: Command, path: string) => {
    const names = command.commands.flatMap((sub) => [sub.name(), ...sub.aliases()]);
    const flags = command.options.flatMap((option) =>
      [option.long, option.short].filter((flag): flag is string => Boolean(flag)),
    );
    table.push({ path, words: [...names, ...flags, '--help'] });
    for (const sub of command.commands) {
      for (const name of [sub.name(), ...sub.aliases()]) walk(sub, `${path} ${name}`);
    }
  };
  walk(root, root.name());
  return table;
}

/** A bash completion function built from the command tree: the deepest known path decides. */
export function bashCompletion(root: Command): string {
  const table = completionTable(root);
  const known = table
    .filter(({ path }) => path !== root.name())
    .map(({ path }) => `"${path}"`)
    .join('|');
  const cases = table.map(({ path, words }) => `    "${path}") words="${words.join(' ')}" ;;`);
  const name = root.name();
  return `# ${name} completion for bash: eval "$(${name} completion bash)"
_${name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="${name}" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$path \${COMP_WORDS[i]}" in
      ${known}) path="$path \${COMP_WORDS[i]}" ;;
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _${name}_complete ${name}
`;
}

/** zsh runs the bash function through bashcompinit. */
export function zshCompletion(root: Command): string {
  const name = root.name();
  return `# ${name} completion for zsh: eval "$(${name} completion zsh)"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root).replace(/^# .*\n/, '')}`;
}

/** `nestify completion bash|zsh`: prints a completion script for the shell. */
export function completionCommand(root: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script: eval "$(nestify completion bash)"')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      if (shell === 'bash') process.stdout.write(bashCompletion(root()));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(root()));
      else throw new UsageError(`no completion for '${shell}': bash or zsh`);
    });
}
