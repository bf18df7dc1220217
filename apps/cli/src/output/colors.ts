import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colours only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function colorsFor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

export function paint(enabled: boolean, style: Style, text: string): string {
  return enabled ? styleText(style, text) : text;
}

/** The colour of an event line by its level (logs) or kind (events). */
export function levelStyle(level: string): Style {
  switch (level) {
    case 'ERROR':
    case 'CRITICAL':
      return 'red';
    case 'WARNING':
    case 'WARN':
      return 'yellow';
    case 'DEBUG':
      return 'gray';
    case 'CFY':
      return 'cyan';
    default:
      return 'reset';
  }
}
