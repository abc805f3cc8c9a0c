/**
 * Generates a long, deterministic chat room conversation for the memory
 * recall benchmark: people chatting about work and life, with facts planted
 * early, look-alike distractors scattered throughout, and questions about
 * the facts asked late, when the facts are far outside any recent window.
 *
 *   npx tsx scripts/generate-conversation.ts [--seed 7] [--messages 600] > conversation.jsonl
 *
 * Same seed, same conversation. Questions are paraphrases: they share some
 * words with their fact, never the whole sentence.
 */
import { pathToFileURL } from 'node:url';

export interface GeneratedMessage {
  readonly messageId: string;
  readonly senderName: string;
  readonly text: string;
  readonly createdAt: string;
}

/**
 * `keyword`: the question keeps some of its fact's words. `paraphrase`: it
 * shares no content word with its fact but an irregular form of one
 * (bought / buy, went / go, children / child), besides the speaker's name.
 */
export type FactKind = 'keyword' | 'paraphrase';

export interface PlantedFact {
  readonly key: string;
  readonly kind: FactKind;
  /** The message that states the fact. */
  readonly factMessageId: string;
  /** The message that asks about it. */
  readonly questionMessageId: string;
}

export interface Conversation {
  readonly seed: number;
  readonly messages: GeneratedMessage[];
  readonly facts: PlantedFact[];
}

export interface ConversationOptions {
  readonly seed: number;
  /** Total messages (default 600). */
  readonly messages?: number;
}

interface FactTemplate {
  readonly key: string;
  readonly kind?: FactKind;
  readonly fact: string;
  readonly question: string;
  /** Statements that share the fact's words but not its answer. */
  readonly distractors: readonly string[];
}

const PEOPLE = ['Alice', 'Bilal', 'Chen', 'Dana', 'Emeka', 'Farah', 'Gus'];

const FACTS: readonly FactTemplate[] = [
  {
    key: 'staging-port',
    fact: 'Heads up: the staging database moved to port 6543 last night.',
    question: 'Which port does the staging database listen on these days?',
    distractors: ['The staging database feels slow today, anyone else?', 'Production database is still on the default port.'],
  },
  {
    key: 'cabin-wifi',
    fact: 'The wifi password at the cabin is bluefin-42, the router is behind the couch.',
    question: "What's the cabin wifi password again?",
    distractors: ['The cabin heater is broken, bring warm socks.', 'Office wifi keeps dropping on the 4th floor.'],
  },
  {
    key: 'dana-flight',
    fact: 'My flight to Lisbon lands at 18:40 on Friday, TAP 1363.',
    question: 'When does Dana land in Lisbon on Friday?',
    distractors: ['The Berlin flight last month was delayed for three hours.', 'Lisbon is sunny all week according to the forecast.'],
  },
  {
    key: 'team-dinner',
    fact: "We booked Fernando's Grill for the team dinner on the 12th.",
    question: 'Which restaurant did we pick for the team dinner?',
    distractors: ['Team lunch is at the ramen place again.', 'Dinner at the offsite is included in the hotel price.'],
  },
  {
    key: 'offsite-budget',
    fact: 'Finance confirmed the offsite budget is capped at 12,000 euros including travel.',
    question: 'How much budget do we have for the offsite?',
    distractors: ['The offsite agenda draft is in the shared folder.', 'Marketing budget review got pushed to next quarter.'],
  },
  {
    key: 'release-captain',
    fact: 'Chen is release captain for version 4.2, ping him before merging.',
    question: 'Who is the release captain for 4.2?',
    distractors: ['Release notes for 4.1 are published.', 'Version 4.3 planning starts after the freeze.'],
  },
  {
    key: 'acme-demo',
    fact: 'The Acme customer demo moved to Thursday at 3pm.',
    question: 'When is the Acme demo now?',
    distractors: ['Acme sent another feature request about exports.', 'The internal demo day is the last Friday of the month.'],
  },
  {
    key: 'sandbox-account',
    fact: 'The sandbox AWS account for experiments is 210987654321.',
    question: 'What is the account id of our sandbox AWS account?',
    distractors: ['The production AWS bill went up a bit this month.', 'Please tag every resource you create in AWS.'],
  },
  {
    key: 'ingrid-start',
    fact: 'Ingrid joins the data team and starts on March 3rd.',
    question: 'When does Ingrid start?',
    distractors: ['The data team is hiring another analyst.', 'Interviews for the data role continue next week.'],
  },
  {
    key: 'parking',
    fact: 'Office parking is on level -2, spots 40 to 48 are ours.',
    question: 'Where are our parking spots at the office?',
    distractors: ['Bike parking moved next to the side entrance.', 'The office kitchen gets cleaned on Fridays.'],
  },
  {
    key: 'design-review-room',
    fact: 'The checkout page design review is in meeting room Aurora.',
    question: 'Which room is the checkout design review in?',
    distractors: ['Design review notes from the onboarding flow are up.', 'Room Borealis has a broken projector.'],
  },
  {
    key: 'farah-dog',
    fact: 'Our new puppy is called Biscuit, he is a beagle.',
    question: "What's the name of Farah's puppy?",
    distractors: ['My neighbour has a beagle that barks all night.', 'Puppy training classes are on Saturday mornings.'],
  },
  {
    key: 'escalation-number',
    fact: 'For on-call escalation dial 555-0199, it rings the duty manager.',
    question: 'What number do I dial for on-call escalation?',
    distractors: ['On-call rota for next month is posted.', 'The duty manager changes every Monday.'],
  },
  {
    key: 'deploy-freeze',
    fact: 'We agreed on a deploy freeze from December 20 to January 3.',
    question: 'When does the deploy freeze start and end?',
    distractors: ['Deploys are slow today because of the runner queue.', 'The freeze on hiring was lifted.'],
  },
  {
    key: 'invoice-bug',
    fact: 'Found it: the invoice export bug was a timezone offset in the CSV writer.',
    question: 'What was the cause of the invoice export bug?',
    distractors: ['Invoice emails go out on the first of the month.', 'The CSV import is still flaky for big files.'],
  },
  {
    key: 'talk-slot',
    fact: 'Our conference talk got the 11:15 slot on day two, hall B.',
    question: 'When and where is our conference talk?',
    distractors: ['The conference badge pickup opens at 8am.', 'Hall A hosts the keynote on day one.'],
  },
  {
    key: 'bilal-menu',
    fact: "For the dinner I'd like the vegetarian menu please.",
    question: 'Which menu did Bilal ask for at the dinner?',
    distractors: ['The lunch menu at the canteen changed.', 'Dessert menu looks amazing.'],
  },
  {
    key: 'vpn-config',
    fact: 'The VPN client config lives in the vault under ops/vpn/client.',
    question: 'Where is the VPN config stored?',
    distractors: ['VPN was down for ten minutes this morning.', 'The vault token expires every eight hours.'],
  },
  {
    key: 'emeka-birthday',
    fact: 'My birthday is on the 9th of June, cake is on me.',
    question: "When is Emeka's birthday?",
    distractors: ['It was my sister’s birthday yesterday.', 'We should do cake on Friday for the release.'],
  },
  {
    key: 'load-test',
    fact: 'The load test reached 4,800 requests per second before latency climbed.',
    question: 'How many requests per second did the load test reach?',
    distractors: ['Latency dashboards are back after the outage.', 'The load balancer certificate renews next week.'],
  },
  {
    key: 'offsite-hotel',
    fact: 'The offsite hotel is Casa do Rio, right by the river.',
    question: 'What is the name of the offsite hotel?',
    distractors: ['The hotel near the office raised its prices.', 'We could do a river walk after the offsite sessions.'],
  },
  {
    key: 'planning-doc',
    fact: 'Reminder: the quarterly planning doc is due on the 28th.',
    question: 'When is the quarterly planning doc due?',
    distractors: ['The planning poker session ran long.', 'Quarterly numbers look good so far.'],
  },
  {
    key: 'printer-code',
    fact: 'The printer on floor 3 needs the code 4471 now.',
    question: "What's the code for the printer on floor 3?",
    distractors: ['The printer on floor 2 is out of toner.', 'Door codes change every quarter.'],
  },
  {
    key: 'billing-handover',
    fact: 'I am handing the billing service over to Dana next sprint.',
    question: 'Who takes over the billing service from Alice?',
    distractors: ['Billing service alerts were noisy overnight.', 'The billing dashboard needs a new owner for its tests.'],
  },
  // Paraphrases: only an irregular form joins question and fact.
  {
    key: 'gus-bike',
    kind: 'paraphrase',
    fact: 'Finally bought myself a gravel bike, a green Canyon.',
    question: 'What did Gus buy?',
    distractors: ['Should we buy more coffee pods for the kitchen?', 'I want to buy tickets before they sell out.'],
  },
  {
    key: 'alice-porto',
    kind: 'paraphrase',
    fact: 'We went to Porto for the long weekend, the food was amazing.',
    question: 'Where did Alice go on her trip?',
    distractors: ['I go to the gym on Mondays.', 'Which trip report template do we use?'],
  },
  {
    key: 'chen-volcano',
    kind: 'paraphrase',
    fact: 'My children made a volcano for the science fair.',
    question: "What did Chen's child make?",
    distractors: ['Can someone make the sync notes public?', 'My child is off sick today.'],
  },
  {
    key: 'emeka-badge',
    kind: 'paraphrase',
    fact: 'I lost my badge somewhere between the kitchen and the lift.',
    question: 'What did Emeka lose?',
    distractors: ['Do not lose the release checklist link.', 'We lose ten minutes every standup.'],
  },
  {
    key: 'farah-car',
    kind: 'paraphrase',
    fact: 'Sold my old hatchback last week, no more parking fees!',
    question: 'What did Farah sell?',
    distractors: ['Sales wants to sell the premium tier harder.', 'They sell good sandwiches downstairs.'],
  },
  {
    key: 'dana-nairobi',
    kind: 'paraphrase',
    fact: 'Flew back from Nairobi this morning, slightly jetlagged.',
    question: 'Where did Dana fly from?',
    distractors: ['Time flies, the sprint is already over.', 'Does anyone fly to Berlin next week?'],
  },
  {
    key: 'bilal-mentor',
    kind: 'paraphrase',
    fact: 'I taught the interns how to run the database migrations.',
    question: 'What is Bilal teaching?',
    distractors: ['Teaching moment: always read the logs first.', 'Who is teaching the onboarding class?'],
  },
  {
    key: 'emeka-speech',
    kind: 'paraphrase',
    fact: 'Gave the welcome speech at the meetup, only stumbled once.',
    question: 'What did Emeka give?',
    distractors: ['Give me five minutes, finishing a call.', 'Can you give the meetup room back by six?'],
  },
];

/** Who states each fact (a fact in the first person belongs to its speaker). */
const FACT_SPEAKER: Readonly<Record<string, string>> = {
  'dana-flight': 'Dana',
  'farah-dog': 'Farah',
  'bilal-menu': 'Bilal',
  'emeka-birthday': 'Emeka',
  'billing-handover': 'Alice',
  'gus-bike': 'Gus',
  'alice-porto': 'Alice',
  'chen-volcano': 'Chen',
  'emeka-badge': 'Emeka',
  'farah-car': 'Farah',
  'dana-nairobi': 'Dana',
  'bilal-mentor': 'Bilal',
  'emeka-speech': 'Emeka',
};

export const FILLER: readonly string[] = [
  'Morning all!',
  'Coffee machine on 2 is broken again.',
  'Anyone up for lunch at {time}?',
  'PR #{n} is ready for review when someone has a minute.',
  'CI is green again after the flaky test fix.',
  'I will be a bit late for standup.',
  'Can someone look at ticket {n}? It is blocking me.',
  'Nice work on the dashboard, looks great.',
  'Meeting notes from the sync are in the doc.',
  'Heading out early today, back tomorrow.',
  'Does anyone know who owns the search service?',
  'The retro is moved to {day}.',
  'lol',
  'ok sounds good',
  'thanks!',
  '+1',
  'Weather is terrible today, working from home.',
  'Has anyone tried the new pizza place round the corner?',
  'Reminder to fill in the survey by {day}.',
  'Merged, thanks for the review.',
  'I am out {day}, Chen covers for me.',
  'The sprint board is updated.',
  'Who is bringing snacks to the workshop?',
  'Rebased my branch, conflicts fixed.',
  'Quick question about the API pagination, can we use cursors?',
  'Docs for the new endpoint are up.',
  'Logs look clean after the restart.',
  'I think the bug is in the retry logic, investigating.',
  'Can we push the sync by 30 minutes?',
  'Great talk yesterday!',
  'Playing football on {day}, who is in?',
  'New laptop finally arrived.',
  'Anyone seen my charger? Left it in room Aurora maybe.',
  'Let us discuss it in the sync on {day}.',
  'I updated the runbook for the cache cluster.',
  'Traffic is back to normal.',
  'Customer call went well, notes to follow.',
  'Approved.',
  'Can you share the link again?',
  'Feature flag is on for 10 percent of users.',
];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['12:00', '12:30', '13:00'];

/** mulberry32: a small seeded PRNG, good enough to shuffle chat. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A conversation of `messages` messages: facts stated in the first fifth,
 * their questions in the last tenth (in a shuffled order), distractors and
 * chatter everywhere.
 */
export function generateConversation(options: ConversationOptions): Conversation {
  const total = options.messages ?? 600;
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const shuffled = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const fill = (template: string) =>
    template
      .replace('{n}', String(100 + Math.floor(next() * 900)))
      .replace('{day}', pick(DAYS))
      .replace('{time}', pick(TIMES));

  if (total < FACTS.length * 10) throw new Error(`A conversation needs at least ${FACTS.length * 10} messages.`);
  const slots: Array<{ text: string; sender: string; factKey?: string; questionKey?: string }> = [];
  for (let i = 0; i < total; i += 1) slots.push({ text: '', sender: '' });

  // Facts spread over the first fifth, questions over the last tenth.
  const factZone = Math.floor(total / 5);
  const questionZone = Math.floor(total / 10);
  const order = shuffled(FACTS);
  order.forEach((fact, i) => {
    const at = 2 + Math.floor((i * (factZone - 4)) / order.length);
    slots[at] = { text: fact.fact, sender: FACT_SPEAKER[fact.key] ?? pick(PEOPLE), factKey: fact.key };
  });
  const asked = shuffled(FACTS);
  asked.forEach((fact, i) => {
    const at = total - questionZone + Math.floor((i * (questionZone - 1)) / asked.length);
    const speaker = FACT_SPEAKER[fact.key];
    const sender = pick(PEOPLE.filter((p) => p !== speaker));
    slots[at] = { text: `@helper ${fact.question}`, sender, questionKey: fact.key };
  });

  // Distractors land anywhere that is still free.
  for (const fact of FACTS) {
    for (const distractor of fact.distractors) {
      for (let tries = 0; tries < 50; tries += 1) {
        const at = Math.floor(next() * total);
        if (slots[at]?.text === '') {
          slots[at] = { text: distractor, sender: pick(PEOPLE) };
          break;
        }
      }
    }
  }

  const start = Date.UTC(2026, 9, 1, 8);
  const messages: GeneratedMessage[] = [];
  const factIds = new Map<string, string>();
  const questionIds = new Map<string, string>();
  slots.forEach((slot, i) => {
    const messageId = `m${String(i + 1).padStart(4, '0')}`;
    const text = slot.text === '' ? fill(pick(FILLER)) : slot.text;
    const senderName = slot.sender === '' ? pick(PEOPLE) : slot.sender;
    messages.push({ messageId, senderName, text, createdAt: new Date(start + i * 97_000).toISOString() });
    if (slot.factKey) factIds.set(slot.factKey, messageId);
    if (slot.questionKey) questionIds.set(slot.questionKey, messageId);
  });

  const facts = FACTS.map((f) => ({
    key: f.key,
    kind: f.kind ?? 'keyword',
    factMessageId: factIds.get(f.key) as string,
    questionMessageId: questionIds.get(f.key) as string,
  })).sort((a, b) => a.questionMessageId.localeCompare(b.questionMessageId));
  return { seed: options.seed, messages, facts };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const conversation = generateConversation({ seed: arg('seed', 1), messages: arg('messages', 600) });
  for (const message of conversation.messages) process.stdout.write(`${JSON.stringify(message)}\n`);
  process.stderr.write(`${conversation.messages.length} messages, ${conversation.facts.length} planted facts (seed ${conversation.seed})\n`);
}
