// Drive prompts by typing into a fake stdin when the prompt appears on stderr (event-driven, no sleeps).
import { PassThrough } from 'node:stream';

export class Typist {
  private buffer = '';
  private waiters: Array<{ text: string; from: number; resolve: () => void }> = [];
  private cursor = 0;
  constructor(
    readonly stdin: PassThrough,
    output: NodeJS.ReadableStream,
  ) {
    output.on('data', (c: Buffer | string) => {
      this.buffer += c.toString();
      this.check();
    });
  }
  private check() {
    this.waiters = this.waiters.filter((w) => {
      const at = this.buffer.indexOf(w.text, w.from);
      if (at >= 0) {
        this.cursor = at + w.text.length;
        w.resolve();
        return false;
      }
      return true;
    });
  }
  /** Resolve when `text` appears after everything already matched. */
  waitFor(text: string): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ text, from: this.cursor, resolve });
      this.check();
    });
  }
  async answer(prompt: string, keys: string): Promise<void> {
    await this.waitFor(prompt);
    this.stdin.write(keys);
  }
  get output(): string {
    return this.buffer;
  }
}
