import { visibleBidi } from './visibleBidi.ts';

/**
 * A name (node, edge, workload, run, detector) made safe to print on a terminal: control
 * characters shown as visible escapes. Names are attacker-controllable (whoever runs a workload
 * picks its name), and printed raw a newline in one forges whole lines (a fake `alert` line),
 * and an ESC or C1 sequence clears the screen, recolours or hides the lines around it. Every
 * C0 character (U+0000-U+001F), DEL (U+007F) and every C1 character (U+0080-U+009F, where
 * U+009B alone starts a sequence on some terminals) becomes `\n`, `\r`, `\t` or `\xHH`, so the
 * name still reads as itself and shows what it holds. Unicode bidirectional controls are
 * written out as in the report (visibleBidi, `\u202E`): terminals that lay text out both ways
 * (VTE, Konsole, mintty) would otherwise show `alert … blamed: ext<U+202E>gnp.exe → front-end`
 * reversed, the same spoofed edge. Other text is left as it is.
 */
export function terminalText(text: string): string {
  return visibleBidi(CONTROL.test(text) ? text.replace(CONTROL_ALL, escapeOne) : text);
}

/**
 * A whole message for the terminal (a warning, an error): the same escapes, except the line
 * breaks a message is written with. The names in it are escaped with terminalText where they
 * are put in, so a newline left here is the message's own; this is the net under every line
 * written to stderr, so that no name put in without it can clear the screen or reverse a line.
 */
export function terminalMessage(message: string): string {
  return visibleBidi(CONTROL_BUT_NEWLINE.test(message) ? message.replace(CONTROL_BUT_NEWLINE_ALL, escapeOne) : message);
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const CONTROL_BUT_NEWLINE_ALL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
