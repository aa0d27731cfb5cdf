export { runWatch, watchCycle, type WatchOptions, type CycleResult, type WatchSummary } from './run-watch.js';
export {
  createNotifier,
  logNotifier,
  parseNotifyUrl,
  payloadFor,
  type Notifier,
  type NotifierKind,
} from './notifiers.js';
export {
  factsOf,
  pendingFor,
  nextDelivered,
  renderMessage,
  type Fact,
  type Message,
  type Pending,
} from './announce.js';
export { loadState, saveState, emptyState, type WatchState } from './state.js';
