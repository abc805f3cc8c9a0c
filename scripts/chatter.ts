/**
 * Small talk for the benchmark rooms, composed rather than repeated: an
 * opener, a subject, a predicate and a tail, over a few dozen of each, so
 * a room of 800 messages repeats almost none of its chatter word for word.
 * Real chatter varies: a room whose filler is a few dozen fixed sentences
 * makes rare words look rarer than they are, and flatters any ranking that
 * rewards them.
 */

const OPENERS = ['', '', '', 'Quick one: ', 'FYI ', 'Heads up, ', 'Update: ', 'Ugh, ', 'Good news: ', 'So ', 'Random thought: ', 'Btw ', 'Honestly, ', 'Small thing: '];

const SUBJECTS = [
  'the release notes', 'the onboarding doc', 'the team dinner', 'the budget sheet', 'the design review', 'the printer on floor {n}',
  'our kitchen renovation', 'the parking garage', 'the vendor contract', 'the on-call rotation', 'the podcast I mentioned', 'the book club pick',
  'my neighbour\'s dog', 'the garden', 'the migration script', 'the hiring panel', 'the customer demo', 'the holiday schedule',
  'the heating in the office', 'the metrics dashboard', 'the noodle bar downstairs', 'my phone bill', 'the train to the office', 'the quiz night',
  'the feature flag cleanup', 'the load balancer config', 'the support queue', 'the intern project', 'the espresso machine', 'the security training',
  'the laptop refresh', 'the offsite agenda', 'the Friday demo', 'the test coverage report', 'my dentist appointment', 'the lift on the third floor',
  'the analytics export', 'the fire drill', 'the expense tool', 'the new logo', 'the API docs', 'the backlog grooming', 'the power cut at home',
  'the football match', 'the roadmap slides', 'the team photo', 'the standing desks', 'the Wi-Fi in meeting room {n}', 'the pull request queue',
];

const PREDICATES = [
  'is finally done', 'needs another pair of eyes', 'got moved to {day}', 'looks much better now', 'is acting up again', 'was a bit of a mess',
  'is on my list for {day}', 'went better than expected', 'took forever', 'is still waiting on legal', 'made my morning', 'costs more than we thought',
  'is running late', 'needs a decision by {day}', 'is on hold until the next sprint', 'was called off', 'is shared in the channel',
  'could use some love', 'is fixed, for now', 'broke right before lunch', 'is the talk of the floor', 'is half done', 'surprised everyone',
  'should be ready by {time}', 'is not my favourite thing today', 'has a new owner', 'needs {n} more signatures', 'is somehow still open',
];

const TAILS = ['', '', '.', '!', ' :)', ' - thoughts?', ', fyi.', ' again...', ' if anyone is curious.', ', no rush.', ' haha', ' as usual.'];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['10:00', '11:30', '14:00', '16:00'];

/** One line of chatter from the seeded `next` (a number in [0, 1) each call). */
export function chatter(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const opener = pick(OPENERS);
  const subject = pick(SUBJECTS);
  const line = `${opener}${opener === '' ? subject.charAt(0).toUpperCase() + subject.slice(1) : subject} ${pick(PREDICATES)}${pick(TAILS)}`;
  return line
    .replace(/\{n\}/g, () => String(2 + Math.floor(next() * 40)))
    .replace(/\{day\}/g, () => pick(DAYS))
    .replace(/\{time\}/g, () => pick(TIMES));
}
