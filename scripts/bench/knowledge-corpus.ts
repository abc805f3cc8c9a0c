/**
 * Generated documents for the knowledge benchmark: long handbooks of
 * plausible filler about the same topics as the facts planted in them, so
 * every fact's words also appear in many passages that do not answer, and
 * one question per fact, written to paraphrase it (synonyms, other forms of
 * its words, never its sentence). Deterministic for a seed.
 */

/** A planted fact and the question that asks for it. */
export interface PlantedFact {
  readonly fact: string;
  readonly question: string;
}

export const FACTS: readonly PlantedFact[] = [
  {
    fact: "The east wing's backup generator is tested by the facilities crew every second Thursday.",
    question: 'How often does the maintenance team check the standby power supply in the eastern building?',
  },
  {
    fact: 'Refunds for furniture that arrives damaged are paid within fourteen days of the inspection.',
    question: 'How long until a customer is reimbursed when a sofa is delivered broken?',
  },
  {
    fact: 'Visitors must collect a temporary badge from the security desk on the ground floor.',
    question: 'Where do guests pick up their provisional pass?',
  },
  {
    fact: 'The staging database listens on port 6543 since the migration in March.',
    question: 'Which port does the test database use after it was migrated?',
  },
  {
    fact: 'Parcels to the Orkney islands travel by ferry and arrive in five working days.',
    question: 'How many business days does shipping to Orkney take?',
  },
  {
    fact: 'Annual leave requests need approval from a line manager at least three weeks ahead.',
    question: 'How far in advance must a supervisor approve holiday requests?',
  },
  {
    fact: 'Laptops are replaced every four years unless the battery fails earlier.',
    question: 'How frequently do employees get a new notebook computer?',
  },
  {
    fact: 'The cafeteria serves vegetarian lunch options every weekday from noon until two.',
    question: 'When can staff get meatless meals in the canteen?',
  },
  {
    fact: 'Passwords for administrator accounts expire after sixty days and cannot be reused.',
    question: 'How long do admin passwords remain valid?',
  },
  {
    fact: 'The warranty on kitchen appliances covers parts and labour for two years.',
    question: 'What does the guarantee for cooking equipment include?',
  },
  {
    fact: 'Overtime is paid at one and a half times the normal hourly rate.',
    question: 'What is the pay rate for extra hours worked?',
  },
  {
    fact: 'Fire drills take place on the first Monday of every quarter.',
    question: 'When are the evacuation exercises held?',
  },
  {
    fact: "Expense claims above five hundred euros require a receipt and a director's signature.",
    question: 'What must accompany large reimbursement requests?',
  },
  {
    fact: 'The Lisbon office closes early on Fridays during the summer months.',
    question: 'On which day does the Lisbon branch shut sooner in summer?',
  },
  {
    fact: 'Customer data is stored in the Frankfurt region and backed up nightly to Dublin.',
    question: 'Where are backups of client information kept?',
  },
  {
    fact: 'New hires receive their equipment from the IT service desk on their first morning.',
    question: 'When do newly hired employees get their computers?',
  },
  {
    fact: 'Bicycles may be parked in the basement garage behind the loading dock.',
    question: 'Where can cyclists leave their bikes?',
  },
  {
    fact: 'The quarterly sales report is published on the intranet by the finance team.',
    question: 'Who publishes the three-monthly revenue figures?',
  },
  {
    fact: 'Printer toner is ordered through the procurement portal, never by email.',
    question: 'How should someone order ink cartridges for the printers?',
  },
  {
    fact: 'Meeting rooms on the fourth floor can be booked for at most three hours.',
    question: 'What is the longest reservation allowed for conference rooms upstairs?',
  },
  {
    fact: 'Remote employees are reimbursed for internet costs up to forty euros a month.',
    question: 'How much of their home broadband bill is refunded to people working from home?',
  },
  {
    fact: 'Delivery drivers must photograph every package left without a signature.',
    question: 'What do couriers have to do when nobody signs for a parcel?',
  },
  {
    fact: 'The server room is cooled to eighteen degrees and monitored by alarms.',
    question: 'At what temperature is the data centre kept?',
  },
  {
    fact: 'Interns are mentored by a senior engineer for their first six weeks.',
    question: 'Who guides trainees during their initial weeks?',
  },
];

const NOUNS = [
  'generator', 'refund', 'badge', 'database', 'parcel', 'leave request', 'laptop', 'lunch menu', 'password', 'warranty',
  'overtime sheet', 'fire drill', 'expense claim', 'office', 'customer record', 'equipment', 'bicycle rack', 'sales report',
  'printer', 'meeting room', 'internet allowance', 'package', 'server', 'intern', 'invoice', 'contract', 'ticket', 'vendor',
  'budget', 'audit', 'appliance', 'delivery', 'backup', 'security desk', 'inspection', 'procurement request', 'receipt',
];
const TEAMS = [
  'the facilities crew', 'the finance team', 'the IT service desk', 'security', 'procurement', 'human resources',
  'the legal department', 'the operations group', 'each line manager', 'the warehouse staff',
];
const WHEN = [
  'every month', 'before the deadline', 'at the end of each quarter', 'on request', 'within two days', 'once a year',
  'after every incident', 'during the annual review', 'on the first working day', 'whenever a supplier changes',
];
const TEMPLATES: ReadonlyArray<(n: () => string, t: () => string, w: () => string) => string> = [
  (n, t, w) => `${cap(t())} reviews the ${n()} ${w()}.`,
  (n, t) => `Questions about the ${n()} go to ${t()}.`,
  (n, _t, w) => `The ${n()} policy was last updated ${w()}.`,
  (n, t) => `Each ${n()} is logged in the tracking system by ${t()}.`,
  (n, t) => `${cap(t())} keeps a record of every ${n()} and every ${n()}.`,
  (n, _t, w) => `A missing ${n()} must be reported ${w()}.`,
  (n, t, w) => `${cap(t())} may ask for a copy of the ${n()} ${w()}.`,
  (n) => `Nobody should share a ${n()} with people outside the company.`,
  (n, t) => `Changes to the ${n()} need the agreement of ${t()}.`,
  (n, _t, w) => `The ${n()} and the ${n()} are checked ${w()}.`,
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** mulberry32: a small seeded generator, the same numbers on every platform. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface GeneratedSection {
  readonly heading: string;
  readonly paragraphs: string[];
}

/** Filler: `sections` sections of `paragraphs` paragraphs of about five sentences. */
export function fillerSections(rand: () => number, sections: number, paragraphs: number): GeneratedSection[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const n = () => pick(NOUNS);
  const t = () => pick(TEAMS);
  const w = () => pick(WHEN);
  return Array.from({ length: sections }, (_, s) => ({
    heading: `${s + 1}. ${cap(n())} guidelines`,
    paragraphs: Array.from({ length: paragraphs }, () => Array.from({ length: 5 }, () => pick(TEMPLATES)(n, t, w)).join(' ')),
  }));
}

export const toMarkdown = (title: string, sections: readonly GeneratedSection[]): string =>
  [`# ${title}`, ...sections.flatMap((s) => [`## ${s.heading}`, ...s.paragraphs])].join('\n\n');

/**
 * A room's documents for the grounding test: `documents` handbooks of
 * filler, every fact of FACTS planted once as a paragraph of its own at a
 * random place of a random document.
 */
export function groundingRoom(seed: number, documents = 6, sections = 40, paragraphs = 3): { name: string; markdown: string }[] {
  const rand = random(seed);
  const docs = Array.from({ length: documents }, () => fillerSections(rand, sections, paragraphs));
  for (const { fact } of FACTS) {
    const doc = docs[Math.floor(rand() * docs.length)] as GeneratedSection[];
    const section = doc[Math.floor(rand() * doc.length)] as GeneratedSection;
    section.paragraphs.splice(Math.floor(rand() * (section.paragraphs.length + 1)), 0, fact);
  }
  return docs.map((sections, i) => ({ name: `Handbook ${i + 1}`, markdown: toMarkdown(`Handbook ${i + 1}`, sections) }));
}
