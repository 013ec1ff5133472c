/** How the tutorial prints: numbered steps, indented lines, and what each push did. */
import { summarizeApp } from 'ecr-image-updater/lib/app/outcomes';
import type { DeliveredPush } from '../deliver-push.ts';
import { describeDelivery } from './describe-delivery.ts';

export class TutorialOutput {
  private step = 0;

  constructor(private readonly write: (text: string) => void) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** A numbered step, after a blank line. */
  heading(text: string): void {
    this.line();
    this.line(`${++this.step}. ${text}`);
  }

  /** Indented lines, e.g. a command and what it printed, or a file. */
  indented(text: string, depth = 3): void {
    for (const line of text.trimEnd().split('\n')) this.line(`${' '.repeat(depth)}${line}`);
  }

  delivered(delivered: DeliveredPush, elapsedMs: number): void {
    this.indented(describeDelivery(delivered, summarizeApp).join('\n'));
    this.line(`   (${Math.round(elapsedMs)} ms from push to write-back on the local peers)`);
  }
}
