/**
 * Generates a deterministic multi-session chat room for the memory recall
 * benchmark, closer to real chats than generate-conversation.ts: seven
 * dated sessions over five weeks, facts told in the first six, questions
 * asked in the last one, written the way people ask them. Kinds of question:
 *
 * - `single-hop`: the question keeps a content word of its evidence;
 * - `paraphrase`: only an irregular form joins them (bought / buy);
 * - `synonym`: only a synonym or a kind joins them (kids / children,
 *   sofa / couch, hatchback / car), besides the speaker's name;
 * - `temporal`: the answer is the evidence's date ("When did Dana move?"),
 *   or the question names a time relative to now ("last weekend");
 * - `multi-hop`: two facts from different sessions are both needed;
 * - `follow-up`: "@helper when was that?" after a question the agent answered.
 *
 *   npx tsx scripts/generate-sessions.ts [--seed 7] > sessions.jsonl
 *
 * Same seed, same room. The sessions' dates are fixed; the seed shuffles
 * who says what chatter (scripts/chatter.ts, varied so that rare words are
 * not rarer than in real rooms), where facts and distractors fall in their
 * session, and the order of the questions.
 */
import { pathToFileURL } from 'node:url';
import { chatter } from './chatter';
import { FILLER, random } from './generate-conversation';

export type QuestionKind = 'single-hop' | 'paraphrase' | 'synonym' | 'temporal' | 'multi-hop' | 'follow-up';

export const QUESTION_KINDS: readonly QuestionKind[] = ['single-hop', 'paraphrase', 'synonym', 'temporal', 'multi-hop', 'follow-up'];

export interface SessionMessage {
  readonly messageId: string;
  readonly senderName: string;
  /** `agent:helper` for the agent's replies, `u-<name>` for people. */
  readonly senderId: string;
  readonly senderType: 'human' | 'agent';
  readonly text: string;
  readonly createdAt: string;
}

export interface SessionQuestion {
  readonly key: string;
  readonly kind: QuestionKind;
  /** The message that asks. */
  readonly questionMessageId: string;
  /** The messages that together hold the answer. */
  readonly evidenceMessageIds: readonly string[];
  /** True when the answer is the evidence's date or the question names a time relative to now. */
  readonly needsDate: boolean;
}

export interface SessionRoom {
  readonly seed: number;
  readonly messages: SessionMessage[];
  readonly questions: SessionQuestion[];
  /** When each session starts (ISO 8601), the last one being the present of the questions. */
  readonly sessionStarts: readonly string[];
}

interface Statement {
  readonly speaker: string;
  readonly text: string;
  /** The session it is told in (0 to 5). */
  readonly session: number;
}

interface QuestionTemplate {
  readonly key: string;
  readonly kind: QuestionKind;
  readonly evidence: readonly Statement[];
  readonly question: string;
  /** Follow-ups: the agent's answer to `question`, then the follow-up itself. */
  readonly answer?: string;
  readonly followUp?: string;
  readonly needsDate?: boolean;
  /** Messages that share the question's words but not its answer. */
  readonly distractors: readonly string[];
}

const PEOPLE = ['Alice', 'Bilal', 'Caroline', 'Chen', 'Dana', 'Emeka', 'Farah', 'Gus'];

/** The sessions' dates: 2026-10-05 to 2026-11-09, the last a Monday after a Saturday session ("the weekend"). */
const SESSION_DAYS = [
  Date.UTC(2026, 9, 5, 9),
  Date.UTC(2026, 9, 14, 9),
  Date.UTC(2026, 9, 20, 9),
  Date.UTC(2026, 9, 29, 9),
  Date.UTC(2026, 10, 4, 9),
  Date.UTC(2026, 10, 7, 10),
  Date.UTC(2026, 10, 9, 9),
];

const say = (speaker: string, session: number, text: string): Statement => ({ speaker, session, text });

const TEMPLATES: readonly QuestionTemplate[] = [
  // Single hop: a content word of the evidence is in the question.
  { key: 'staging-name', kind: 'single-hop', evidence: [say('Alice', 0, 'The new staging cluster is called kestrel, it runs in eu-west-1.')],
    question: 'What is the new staging cluster called?', distractors: ['Staging is slow again, is someone load testing?', 'The cluster upgrade is scheduled for the weekend.'] },
  { key: 'bilal-marathon', kind: 'single-hop', evidence: [say('Bilal', 1, 'Signed up for the Berlin marathon next September, training starts now.')],
    question: 'Which marathon did Bilal sign up for?', distractors: ['Bilal, can you sign off the budget sheet?', 'Anyone watching the marathon on TV?'] },
  { key: 'chen-wedding', kind: 'single-hop', evidence: [say('Chen', 2, 'My sister is getting married in Kyoto next spring.')],
    question: "Where is Chen's sister getting married?", distractors: ['Chen, are you joining the planning call?', 'My cousin got married last year in a barn.'] },
  { key: 'dana-pottery', kind: 'single-hop', evidence: [say('Dana', 3, 'I started pottery classes on Tuesday evenings, so much fun.')],
    question: 'What classes is Dana taking?', distractors: ['Dana, thanks for the review!', 'The yoga classes at the gym got cancelled.'] },
  { key: 'report-template', kind: 'single-hop', evidence: [say('Emeka', 1, 'The quarterly report template is in the finance drive, folder Q-reports.')],
    question: 'Where is the quarterly report template?', distractors: ['The quarterly numbers are due soon.', 'Who owns the incident report this time?'] },
  { key: 'farah-rent', kind: 'single-hop', evidence: [say('Farah', 4, 'Our landlord is raising the rent by 8 percent in January.')],
    question: "How much is Farah's rent going up?", distractors: ['Farah, you are on mute.', 'Rent prices in the city are wild.'] },
  { key: 'gus-language', kind: 'single-hop', evidence: [say('Gus', 5, 'Learning Portuguese with an app, a 30 day streak so far.')],
    question: 'What language is Gus learning?', distractors: ['Gus, can you take the next ticket?', 'Learning the new build tool is a pain.'] },
  { key: 'caroline-workshop', kind: 'single-hop', evidence: [say('Caroline', 4, 'Went to a letterpress printing workshop on Saturday, I made my own cards.')],
    question: 'What workshop did Caroline attend recently?', distractors: ['Caroline, did you see the workshop invite from HR?', 'Caroline, are you around for the retro?'] },

  // Paraphrase: only an irregular form joins question and evidence.
  { key: 'gus-bike', kind: 'paraphrase', evidence: [say('Gus', 0, 'Finally bought myself a gravel bike, a green Canyon.')],
    question: 'What did Gus buy?', distractors: ['Should we buy more coffee pods for the kitchen?', 'I want to buy tickets before they sell out.'] },
  { key: 'alice-porto', kind: 'paraphrase', evidence: [say('Alice', 1, 'We went to Porto for the long weekend, the food was amazing.')],
    question: 'Where did Alice go on her trip?', distractors: ['I go to the gym on Mondays.', 'Which trip report template do we use?'] },
  { key: 'chen-volcano', kind: 'paraphrase', evidence: [say('Chen', 2, 'My children made a volcano for the science fair.')],
    question: "What did Chen's child make?", distractors: ['Can someone make the sync notes public?', 'My child is off sick today.'] },
  { key: 'emeka-badge', kind: 'paraphrase', evidence: [say('Emeka', 3, 'I lost my badge somewhere between the kitchen and the lift.')],
    question: 'What did Emeka lose?', distractors: ['Do not lose the release checklist link.', 'We lose ten minutes every standup.'] },
  { key: 'farah-hatchback', kind: 'paraphrase', evidence: [say('Farah', 4, 'Sold my old hatchback, no more parking fees!')],
    question: 'What did Farah sell?', distractors: ['Sales wants to sell the premium tier harder.', 'They sell good sandwiches downstairs.'] },
  { key: 'dana-nairobi', kind: 'paraphrase', evidence: [say('Dana', 0, 'Flew back from Nairobi this morning, slightly jetlagged.')],
    question: 'Where did Dana fly from?', distractors: ['Time flies, the sprint is already over.', 'Does anyone fly to Berlin next week?'] },
  { key: 'bilal-interns', kind: 'paraphrase', evidence: [say('Bilal', 2, 'I taught the interns how to run the database migrations.')],
    question: 'What did Bilal teach the interns?', distractors: ['Who is teaching the onboarding class?', 'Teaching moment: always read the logs first.'] },
  { key: 'caroline-speech', kind: 'paraphrase', evidence: [say('Caroline', 5, 'Gave the welcome speech at the meetup, only stumbled once.')],
    question: 'What did Caroline give at the meetup?', distractors: ['Give me five minutes, finishing a call.', 'Can you give the meetup room back by six?'] },

  // Synonyms and kinds: no content word in common, only a word of the same meaning or kind.
  { key: 'chen-dinosaurs', kind: 'synonym', evidence: [say('Chen', 1, 'My kids are obsessed with dinosaurs at the moment.')],
    question: "What are Chen's children into these days?", distractors: ['Children under twelve get in free at the museum.', 'Chen, the build is red again.'] },
  { key: 'farah-dog', kind: 'synonym', evidence: [say('Farah', 0, 'We adopted a dog from the shelter, she is called Pepper.')],
    question: 'Does Farah have any pets?', distractors: ['No pets in the office, facilities reminded us.', 'Farah, can you forward me the invite?'] },
  { key: 'dana-car', kind: 'synonym', evidence: [say('Dana', 2, 'Traded in my old estate for an electric hatchback.')],
    question: 'What car does Dana drive now?', distractors: ['The car park is full again.', 'Who can drive the van to the warehouse?'] },
  { key: 'emeka-doctor', kind: 'synonym', evidence: [say('Emeka', 3, 'My physician wants me to cut down on coffee.')],
    question: "What did Emeka's doctor recommend?", distractors: ['Doctor appointment at 3, back after.', 'Can anyone recommend a good podcast?'] },
  { key: 'bilal-film', kind: 'synonym', evidence: [say('Bilal', 4, 'Watched a brilliant film about deep sea divers last night.')],
    question: 'Which movie did Bilal like?', distractors: ['Movie night is cancelled this month.', 'I like the new dashboard colours.'] },
  { key: 'alice-sofa', kind: 'synonym', evidence: [say('Alice', 5, 'Got a sofa for the flat at last, dark green velvet.')],
    question: "What colour is Alice's couch?", distractors: ['The colour of the buttons looks off on mobile.', 'Alice, your PR has a conflict.'] },
  { key: 'gus-job', kind: 'synonym', evidence: [say('Gus', 1, 'My brother started a job as a nurse at the city hospital.')],
    question: "What is the occupation of Gus's brother?", distractors: ['My brother is visiting next week.', 'Gus, did you get my message?'] },
  { key: 'farah-grandmother', kind: 'synonym', evidence: [say('Farah', 2, 'My grandmother turns ninety on Sunday, big party.')],
    question: "How old is Farah's grandma?", distractors: ['How old is this library version?', 'Farah, your grandma sounds amazing.'] },

  // Temporal: the answer is a date, or the question is relative to now.
  { key: 'dana-flat', kind: 'temporal', needsDate: true, evidence: [say('Dana', 1, 'Moved into the new flat today, boxes everywhere.')],
    question: 'When did Dana move into her flat?', distractors: ['The flat white from the new place is great.', 'We should move the standup to 10.'] },
  { key: 'bilal-dentist', kind: 'temporal', needsDate: true, evidence: [say('Bilal', 2, 'Just got back from the dentist, two fillings.')],
    question: 'When did Bilal go to the dentist?', distractors: ['Dentist appointments are covered by the new insurance.', 'Bilal, can you go over the doc?'] },
  { key: 'chen-driving', kind: 'temporal', needsDate: true, evidence: [say('Chen', 3, 'Passed my driving test this morning!')],
    question: 'When did Chen pass the driving test?', distractors: ['The integration test is flaky again.', 'Can you pass me the link?'] },
  { key: 'alice-kittens', kind: 'temporal', needsDate: true, evidence: [say('Alice', 0, 'Adopted two kittens from the shelter this afternoon.')],
    question: 'When did Alice get her kittens?', distractors: ['Kittens are the best distraction on calls.', 'Alice, get some rest.'] },
  { key: 'gus-roadmap', kind: 'temporal', needsDate: true, evidence: [say('Gus', 4, 'Presented the roadmap to the board this morning, went fine.')],
    question: 'When did Gus present the roadmap?', distractors: ['The roadmap doc needs comments by Friday.', 'Who presents at the all-hands?'] },
  { key: 'emeka-daughter', kind: 'temporal', needsDate: true, evidence: [say('Emeka', 2, 'Our daughter took her first steps tonight!')],
    question: "When did Emeka's daughter take her first steps?", distractors: ['First steps of the migration are done.', 'Next steps are in the ticket.'] },
  { key: 'farah-weekend', kind: 'temporal', needsDate: true, evidence: [say('Farah', 5, 'Hiked up Ben Nevis with my brother today, legs destroyed.')],
    question: 'What did Farah do last weekend?', distractors: ['Weekend on-call is Farah this time.', 'Last deploy went out without issues.'] },
  { key: 'chen-last-week', kind: 'temporal', needsDate: true, evidence: [say('Chen', 4, 'Spent the whole day rewriting the invoice exporter, it is finally fast.')],
    question: 'What was Chen working on last week?', distractors: ['Chen is working from home today.', 'The exporter dashboard moved last week.'] },

  // Multi-hop: two facts from different sessions.
  { key: 'billing-porto', kind: 'multi-hop',
    evidence: [say('Dana', 0, 'I am taking over the billing service next sprint.'), say('Dana', 3, 'We are moving to Porto in the spring.')],
    question: 'Where is the person who took over billing moving to?', distractors: ['Billing alerts were noisy overnight.', 'Moving the sync to Thursday.'] },
  { key: 'captain-holiday', kind: 'multi-hop',
    evidence: [say('Alice', 0, 'Chen is release captain for 4.2, ping him before merging.'), say('Chen', 4, 'I will be on holiday in Crete in the first week of May.')],
    question: 'Will the release captain for 4.2 be away in May?', distractors: ['Release notes for 4.1 are published.', 'May I grab the meeting room at 2?'] },
  { key: 'brother-restaurant', kind: 'multi-hop',
    evidence: [say('Gus', 1, 'My brother Tom is a chef in Lyon.'), say('Gus', 4, 'Tom opened his own restaurant last month, it is called Sel.')],
    question: "What is the name of the restaurant Gus's brother opened?", distractors: ['The restaurant near the office closed.', 'Who opened the incident ticket?'] },
  { key: 'offsite-city', kind: 'multi-hop',
    evidence: [say('Farah', 0, 'The team offsite will be in the city where I grew up.'), say('Farah', 3, 'I grew up in Ghent, by the canals.')],
    question: 'Which city is the team offsite in?', distractors: ['The offsite agenda is in the shared folder.', 'City traffic was terrible today.'] },
  { key: 'lemon-tree', kind: 'multi-hop',
    evidence: [say('Emeka', 1, 'Bought a lemon tree for the balcony.'), say('Emeka', 5, 'The lemon tree died, too much wind up there.')],
    question: 'What happened to the tree Emeka bought?', distractors: ['What happened to the nightly build?', 'The tree view in the admin page is broken.'] },
  { key: 'gateway-leave', kind: 'multi-hop',
    evidence: [say('Bilal', 0, 'The API gateway migration is owned by Farah.'), say('Farah', 4, 'I am out on parental leave from June.')],
    question: 'Who owns the gateway migration, and when are they on leave?', distractors: ['The gateway logs are rotated daily.', 'Leave requests go through the HR portal.'] },
  { key: 'dinner-closing', kind: 'multi-hop',
    evidence: [say('Chen', 2, "Booked the team dinner at Fernando's Grill."), say('Alice', 5, "Fernando's Grill closes at 22:00 on weekdays, heads up.")],
    question: 'What time does the place we booked for the team dinner close?', distractors: ['Team lunch is at the ramen place again.', 'Please close your tickets before the sprint ends.'] },
  { key: 'collie-prize', kind: 'multi-hop',
    evidence: [say('Alice', 1, 'My dog Pepper is a border collie, full of energy.'), say('Alice', 5, 'Pepper won second prize at the agility show!')],
    question: "What prize did Alice's collie win?", distractors: ['The raffle prize is a pair of headphones.', 'Alice, did you win the bet?'] },

  // Follow-ups: the previous turn says what "that" is.
  { key: 'outage-cause', kind: 'follow-up', evidence: [say('Bilal', 1, 'The payment outage was caused by an expired TLS certificate.')],
    question: 'What caused the payment outage?', answer: 'An expired TLS certificate, according to Bilal.', followUp: 'When was that?',
    distractors: ['Payment provider sent their monthly report.', 'The outage page template needs a refresh.'] },
  { key: 'office-move', kind: 'follow-up', evidence: [say('Emeka', 2, 'Facilities confirmed we move to the new office on Harbour Street.')],
    question: 'Where is the new office?', answer: 'On Harbour Street, as Emeka said.', followUp: 'When did we hear that?',
    distractors: ['The office plants need watering.', 'Street parking near the office is a nightmare.'] },
  { key: 'vendor-pick', kind: 'follow-up', evidence: [say('Alice', 3, 'We picked Northwind as the new logging vendor, contract signed.')],
    question: 'Which logging vendor did we pick?', answer: 'Northwind, per Alice.', followUp: 'Who decided that and when?',
    distractors: ['Logging costs doubled this quarter.', 'The vendor portal is down.'] },
  { key: 'ingrid-start', kind: 'follow-up', evidence: [say('Caroline', 2, 'Ingrid joins the data team and starts on March 3rd.')],
    question: 'When does Ingrid start?', answer: 'On March 3rd, in the data team.', followUp: 'Who told us?',
    distractors: ['The data team is hiring another analyst.', 'Interviews for the data role continue next week.'] },
  { key: 'printer-code', kind: 'follow-up', evidence: [say('Gus', 4, 'The printer on floor 3 needs the code 4471 now.')],
    question: "What's the code for the printer on floor 3?", answer: 'It is 4471.', followUp: 'Since when?',
    distractors: ['The printer on floor 2 is out of toner.', 'Door codes change every quarter.'] },
  { key: 'sandbox-account', kind: 'follow-up', evidence: [say('Dana', 5, 'The sandbox AWS account for experiments is 210987654321.')],
    question: 'What is our sandbox AWS account id?', answer: '210987654321, Dana shared it.', followUp: 'When did she post it?',
    distractors: ['The production AWS bill went up a bit this month.', 'Please tag every resource you create in AWS.'] },
];

export const QUESTION_TEMPLATES_PER_KIND: Readonly<Record<QuestionKind, number>> = Object.fromEntries(
  QUESTION_KINDS.map((kind) => [kind, TEMPLATES.filter((t) => t.kind === kind).length]),
) as Record<QuestionKind, number>;

export interface SessionOptions {
  readonly seed: number;
  /** Messages of each of the first six sessions (default 100); the last holds the questions, four apart. */
  readonly messagesPerSession?: number;
}

/** Messages from one question to the next in the last session (a follow-up takes three). */
const QUESTION_SPACING = 4;

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['12:00', '12:30', '13:00'];

interface Slot {
  text: string;
  sender: string;
  agent?: boolean;
  evidenceOf?: string;
  questionOf?: string;
}

/**
 * A room of seven sessions, messages two minutes apart within a session.
 * Facts fall in their session's slots (never its first or last two),
 * questions in the last session after a quarter session of chatter (so no
 * fact is in a recent window of 20 messages), distractors anywhere.
 */
export function generateSessions(options: SessionOptions): SessionRoom {
  const perSession = options.messagesPerSession ?? 100;
  if (perSession < 80) throw new Error('A session needs at least 80 messages.');
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const fill = (template: string) =>
    template
      .replace('{n}', String(100 + Math.floor(next() * 900)))
      .replace('{day}', pick(DAYS))
      .replace('{time}', pick(TIMES));
  // The last session asks every question, four messages apart, after a first quarter of chatter.
  const opening = Math.floor(perSession / 4);
  const lastLength = opening + TEMPLATES.length * QUESTION_SPACING + 1;
  const sessions: Slot[][] = SESSION_DAYS.map((_, s) =>
    Array.from({ length: s === SESSION_DAYS.length - 1 ? lastLength : perSession }, () => ({ text: '', sender: '' })),
  );
  const free = (session: Slot[], from: number, to: number): number => {
    for (let tries = 0; tries < 200; tries += 1) {
      const at = from + Math.floor(next() * (to - from));
      if (session[at]?.text === '') return at;
    }
    throw new Error('No free slot left in a session.');
  };

  for (const template of TEMPLATES) {
    for (const [i, statement] of template.evidence.entries()) {
      const session = sessions[statement.session] as Slot[];
      session[free(session, 2, perSession - 2)] = { text: statement.text, sender: statement.speaker, evidenceOf: `${template.key}#${i}` };
    }
  }

  // Questions in a shuffled order.
  const last = sessions.at(-1) as Slot[];
  const order = [...TEMPLATES];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as QuestionTemplate, order[i] as QuestionTemplate];
  }
  order.forEach((template, i) => {
    const at = opening + i * QUESTION_SPACING;
    const speakers = new Set(template.evidence.map((s) => s.speaker));
    const asker = pick(PEOPLE.filter((p) => !speakers.has(p)));
    if (template.followUp !== undefined && template.answer !== undefined) {
      last[at] = { text: `@helper ${template.question}`, sender: asker };
      last[at + 1] = { text: template.answer, sender: 'Helper', agent: true };
      last[at + 2] = { text: `@helper ${template.followUp}`, sender: asker, questionOf: template.key };
    } else {
      last[at] = { text: `@helper ${template.question}`, sender: asker, questionOf: template.key };
    }
  });

  for (const template of TEMPLATES) {
    for (const distractor of template.distractors) {
      const session = pick(sessions);
      session[free(session, 0, session.length)] = { text: distractor, sender: pick(PEOPLE) };
    }
  }

  const messages: SessionMessage[] = [];
  const evidenceIds = new Map<string, string>();
  const questionIds = new Map<string, string>();
  sessions.forEach((session, s) => {
    session.forEach((slot, i) => {
      const messageId = `s${s + 1}m${String(i + 1).padStart(3, '0')}`;
      const senderName = slot.sender === '' ? pick(PEOPLE) : slot.sender;
      messages.push({
        messageId,
        senderName,
        senderId: slot.agent ? 'agent:helper' : `u-${senderName}`,
        senderType: slot.agent ? 'agent' : 'human',
        // Two in three lines of chatter composed, one in three a short stock line ("lol", "thanks!").
        text: slot.text === '' ? (next() < 2 / 3 ? chatter(next) : fill(pick(FILLER))) : slot.text,
        createdAt: new Date((SESSION_DAYS[s] as number) + i * 120_000).toISOString(),
      });
      if (slot.evidenceOf) evidenceIds.set(slot.evidenceOf, messageId);
      if (slot.questionOf) questionIds.set(slot.questionOf, messageId);
    });
  });

  const questions = TEMPLATES.map((t) => ({
    key: t.key,
    kind: t.kind,
    questionMessageId: questionIds.get(t.key) as string,
    evidenceMessageIds: t.evidence.map((_, i) => evidenceIds.get(`${t.key}#${i}`) as string),
    needsDate: t.needsDate ?? t.kind === 'follow-up',
  })).sort((a, b) => a.questionMessageId.localeCompare(b.questionMessageId));
  return { seed: options.seed, messages, questions, sessionStarts: SESSION_DAYS.map((d) => new Date(d).toISOString()) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--seed');
  const room = generateSessions({ seed: i >= 0 ? Number(process.argv[i + 1]) : 1 });
  for (const message of room.messages) process.stdout.write(`${JSON.stringify(message)}\n`);
  process.stderr.write(`${room.messages.length} messages, ${room.questions.length} questions (seed ${room.seed})\n`);
}
