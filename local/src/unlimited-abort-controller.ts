/**
 * An AbortController whose signal takes any number of listeners: a peer's requests that wait out a
 * delay each listen to its closing signal, and a benchmark holds hundreds at once; Node would warn of
 * a leak past ten.
 */
import { setMaxListeners } from 'node:events';

export function unlimitedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
