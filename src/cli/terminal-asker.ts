import type { Interface } from 'node:readline/promises';
import {
  describeRequest,
  withdrawnNote,
  type PreviewedRequest,
  type WithdrawReason,
} from './request-preview.js';

const DECLINED = 'declined at the terminal';

/** A request asked about or waiting its turn. */
interface Question {
  readonly controller: AbortController;
  shown: boolean;
}

/**
 * Asks the person at the terminal about one request at a time, even when requests arrive
 * together. A request the server cancels is withdrawn with a note: at once if it is on screen,
 * or when its turn would have come, so that the note never breaks into another question.
 */
export class TerminalAsker {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly questions = new Map<string, Question>();

  constructor(
    private readonly prompt: Pick<Interface, 'question'>,
    private readonly print: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** For the SDK's `approve`: `true` signs, a string declines with that reason. */
  readonly approve = (request: PreviewedRequest): Promise<boolean | string> => {
    const question: Question = { controller: new AbortController(), shown: false };
    const { signal } = question.controller;
    this.questions.set(request.id, question);
    const answer = this.queue.then(() => {
      if (signal.aborted) {
        this.print(withdrawnNote(request, signal.reason as WithdrawReason));
        return DECLINED;
      }
      question.shown = true;
      for (const line of describeRequest(request, this.now())) this.print(line);
      return this.prompt.question('sign it? [y/N] ', { signal });
    });
    this.queue = answer.catch(() => undefined);
    const settled = answer.then(
      (text) => /^y(es)?$/i.test(text.trim()) || DECLINED,
      // Withdrawn (the SDK drops the answer then) or the terminal closed: never a signature.
      () => DECLINED,
    );
    return settled.finally(() => {
      if (this.questions.get(request.id) === question) this.questions.delete(request.id);
    });
  };

  /** For the SDK's `onCancel`: withdraws the question, once. */
  readonly cancel = (request: PreviewedRequest, reason: WithdrawReason): void => {
    const question = this.questions.get(request.id);
    if (question === undefined) return;
    this.questions.delete(request.id);
    question.controller.abort(reason);
    // The question's line was left open: end it before the note.
    if (question.shown) this.print(`\n${withdrawnNote(request, reason)}`);
  };
}
