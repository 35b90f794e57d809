// The vocabulary the seed data is made of: Victorian councils and their
// suburbs, trainer names, what trainers list (ages, issues, services), and
// what reviewers write. Plain data; the data sets decide how much of it to use.

export interface CouncilPlan {
  id: string;
  name: string;
  suburbs: readonly string[];
  /** Trainers listed in this council in the demo data set. */
  trainers: number;
  /** Featured placements active now (never more than the slot setting). */
  active: number;
  /** Purchases waiting now. Only councils whose slots are all taken have a queue. */
  queued: number;
  /**
   * Share of the year's purchases among councils without a queue (demo).
   * Councils with a queue buy however many it takes to build exactly that
   * queue, so theirs is 0.
   */
  share: number;
}

/**
 * The demo's councils. Figures follow the spec's dashboard: 500 trainers,
 * 90 active featured placements, 87 waiting (Melbourne 24, Monash 18,
 * Stonnington 15, Boroondara 12, others 18). `active` is written for 5 slots
 * a council; with another slot setting the demo uses min(active, slots),
 * and every council with a queue is kept full.
 */
export const DEMO_COUNCILS: readonly CouncilPlan[] = [
  {
    id: 'melbourne',
    name: 'City of Melbourne',
    suburbs: ['Carlton', 'North Melbourne', 'Docklands', 'Southbank', 'Kensington', 'Parkville', 'East Melbourne'],
    trainers: 60,
    active: 5,
    queued: 24,
    share: 0,
  },
  {
    id: 'monash',
    name: 'City of Monash',
    suburbs: ['Clayton', 'Glen Waverley', 'Mount Waverley', 'Oakleigh', 'Mulgrave', 'Wheelers Hill'],
    trainers: 44,
    active: 5,
    queued: 18,
    share: 0,
  },
  {
    id: 'stonnington',
    name: 'City of Stonnington',
    suburbs: ['South Yarra', 'Prahran', 'Toorak', 'Malvern', 'Armadale', 'Windsor'],
    trainers: 36,
    active: 5,
    queued: 15,
    share: 0,
  },
  {
    id: 'boroondara',
    name: 'City of Boroondara',
    suburbs: ['Hawthorn', 'Kew', 'Camberwell', 'Balwyn', 'Canterbury', 'Surrey Hills'],
    trainers: 34,
    active: 5,
    queued: 12,
    share: 0,
  },
  {
    id: 'yarra',
    name: 'City of Yarra',
    suburbs: ['Fitzroy', 'Collingwood', 'Richmond', 'Abbotsford', 'Clifton Hill'],
    trainers: 24,
    active: 5,
    queued: 4,
    share: 0,
  },
  {
    id: 'port-phillip',
    name: 'City of Port Phillip',
    suburbs: ['St Kilda', 'South Melbourne', 'Port Melbourne', 'Elwood', 'Albert Park'],
    trainers: 23,
    active: 5,
    queued: 4,
    share: 0,
  },
  {
    id: 'glen-eira',
    name: 'City of Glen Eira',
    suburbs: ['Caulfield', 'Elsternwick', 'Bentleigh', 'Carnegie', 'Murrumbeena'],
    trainers: 22,
    active: 5,
    queued: 3,
    share: 0,
  },
  {
    id: 'bayside',
    name: 'Bayside City Council',
    suburbs: ['Brighton', 'Sandringham', 'Hampton', 'Black Rock', 'Beaumaris'],
    trainers: 21,
    active: 5,
    queued: 3,
    share: 0,
  },
  {
    id: 'darebin',
    name: 'City of Darebin',
    suburbs: ['Northcote', 'Preston', 'Thornbury', 'Reservoir', 'Fairfield'],
    trainers: 20,
    active: 5,
    queued: 2,
    share: 0,
  },
  {
    id: 'merri-bek',
    name: 'Merri-bek City Council',
    suburbs: ['Brunswick', 'Coburg', 'Pascoe Vale', 'Glenroy', 'Fawkner'],
    trainers: 20,
    active: 5,
    queued: 2,
    share: 0,
  },
  {
    id: 'whitehorse',
    name: 'City of Whitehorse',
    suburbs: ['Box Hill', 'Blackburn', 'Mitcham', 'Nunawading', 'Vermont'],
    trainers: 19,
    active: 5,
    queued: 0,
    share: 42,
  },
  {
    id: 'kingston',
    name: 'City of Kingston',
    suburbs: ['Mentone', 'Cheltenham', 'Mordialloc', 'Moorabbin', 'Parkdale'],
    trainers: 18,
    active: 5,
    queued: 0,
    share: 42,
  },
  {
    id: 'manningham',
    name: 'City of Manningham',
    suburbs: ['Doncaster', 'Templestowe', 'Bulleen', 'Warrandyte'],
    trainers: 17,
    active: 5,
    queued: 0,
    share: 40,
  },
  {
    id: 'banyule',
    name: 'City of Banyule',
    suburbs: ['Ivanhoe', 'Heidelberg', 'Greensborough', 'Rosanna', 'Macleod'],
    trainers: 17,
    active: 5,
    queued: 0,
    share: 40,
  },
  {
    id: 'moonee-valley',
    name: 'City of Moonee Valley',
    suburbs: ['Moonee Ponds', 'Essendon', 'Ascot Vale', 'Aberfeldie', 'Niddrie'],
    trainers: 16,
    active: 5,
    queued: 0,
    share: 40,
  },
  {
    id: 'hobsons-bay',
    name: 'Hobsons Bay City Council',
    suburbs: ['Williamstown', 'Altona', 'Newport', 'Spotswood'],
    trainers: 15,
    active: 5,
    queued: 0,
    share: 38,
  },
  {
    id: 'maribyrnong',
    name: 'City of Maribyrnong',
    suburbs: ['Footscray', 'Yarraville', 'Seddon', 'Maidstone'],
    trainers: 15,
    active: 5,
    queued: 0,
    share: 38,
  },
  {
    id: 'knox',
    name: 'City of Knox',
    suburbs: ['Ferntree Gully', 'Boronia', 'Bayswater', 'Rowville', 'Wantirna'],
    trainers: 14,
    active: 2,
    queued: 0,
    share: 24,
  },
  { id: 'maroondah', name: 'City of Maroondah', suburbs: ['Ringwood', 'Croydon', 'Heathmont'], trainers: 13, active: 1, queued: 0, share: 22 },
  {
    id: 'nillumbik',
    name: 'Nillumbik Shire Council',
    suburbs: ['Eltham', 'Diamond Creek', 'Hurstbridge', 'Research'],
    trainers: 11,
    active: 1,
    queued: 0,
    share: 20,
  },
  { id: 'casey', name: 'City of Casey', suburbs: ['Berwick', 'Narre Warren', 'Cranbourne', 'Endeavour Hills'], trainers: 12, active: 1, queued: 0, share: 24 },
  {
    id: 'frankston',
    name: 'Frankston City Council',
    suburbs: ['Frankston', 'Seaford', 'Carrum Downs', 'Langwarrin'],
    trainers: 11,
    active: 0,
    queued: 0,
    share: 20,
  },
  { id: 'whittlesea', name: 'City of Whittlesea', suburbs: ['Mill Park', 'South Morang', 'Epping', 'Bundoora'], trainers: 10, active: 0, queued: 0, share: 18 },
  {
    id: 'yarra-ranges',
    name: 'Yarra Ranges Council',
    suburbs: ['Lilydale', 'Healesville', 'Belgrave', 'Mooroolbark'],
    trainers: 8,
    active: 0,
    queued: 0,
    share: 16,
  },
];

/** Further councils for the large data set (regional Victoria and the outer suburbs). */
export const EXTRA_COUNCILS: readonly { id: string; name: string; suburbs: readonly string[] }[] = [
  { id: 'greater-geelong', name: 'City of Greater Geelong', suburbs: ['Geelong', 'Belmont', 'Lara', 'Highton'] },
  { id: 'ballarat', name: 'City of Ballarat', suburbs: ['Ballarat', 'Sebastopol', 'Wendouree'] },
  { id: 'greater-bendigo', name: 'City of Greater Bendigo', suburbs: ['Bendigo', 'Kangaroo Flat', 'Strathfieldsaye'] },
  { id: 'mornington-peninsula', name: 'Mornington Peninsula Shire', suburbs: ['Mornington', 'Rosebud', 'Mount Martha', 'Sorrento'] },
  { id: 'wyndham', name: 'City of Wyndham', suburbs: ['Werribee', 'Point Cook', 'Hoppers Crossing', 'Tarneit'] },
  { id: 'hume', name: 'Hume City Council', suburbs: ['Craigieburn', 'Sunbury', 'Broadmeadows', 'Roxburgh Park'] },
  { id: 'brimbank', name: 'Brimbank City Council', suburbs: ['Sunshine', 'St Albans', 'Keilor', 'Deer Park'] },
  { id: 'melton', name: 'City of Melton', suburbs: ['Melton', 'Caroline Springs', 'Taylors Lakes'] },
  { id: 'cardinia', name: 'Cardinia Shire Council', suburbs: ['Pakenham', 'Officer', 'Emerald'] },
  { id: 'greater-dandenong', name: 'City of Greater Dandenong', suburbs: ['Dandenong', 'Noble Park', 'Keysborough'] },
  { id: 'surf-coast', name: 'Surf Coast Shire', suburbs: ['Torquay', 'Anglesea', 'Lorne'] },
  { id: 'macedon-ranges', name: 'Macedon Ranges Shire Council', suburbs: ['Kyneton', 'Gisborne', 'Woodend'] },
  { id: 'latrobe', name: 'Latrobe City Council', suburbs: ['Traralgon', 'Morwell', 'Moe'] },
  { id: 'baw-baw', name: 'Baw Baw Shire Council', suburbs: ['Warragul', 'Drouin'] },
  { id: 'wodonga', name: 'City of Wodonga', suburbs: ['Wodonga', 'Baranduda'] },
  { id: 'warrnambool', name: 'Warrnambool City Council', suburbs: ['Warrnambool', 'Allansford'] },
];

export const AGE_SPECIALTIES = ['puppy', 'adolescent', 'adult', 'senior'] as const;

export const BEHAVIOR_ISSUES = [
  'pulling',
  'anxiety',
  'reactivity',
  'aggression',
  'recall',
  'barking',
  'separation_anxiety',
  'jumping',
  'resource_guarding',
  'mouthing',
  'toilet_training',
  'fearfulness',
] as const;

export const SERVICE_TYPES = ['private', 'group', 'board_and_train', 'online', 'day_training', 'puppy_school'] as const;

/** How often searches use each filter value: the spec says puppy/adult and pulling/anxiety lead, services trail. */
export const AGE_SEARCH_WEIGHTS: readonly (readonly [string, number])[] = [
  ['puppy', 38],
  ['adult', 30],
  ['adolescent', 20],
  ['senior', 12],
];
export const ISSUE_SEARCH_WEIGHTS: readonly (readonly [string, number])[] = [
  ['pulling', 24],
  ['anxiety', 20],
  ['reactivity', 14],
  ['recall', 10],
  ['barking', 9],
  ['separation_anxiety', 8],
  ['jumping', 6],
  ['aggression', 5],
  ['mouthing', 4],
  ['resource_guarding', 3],
  ['toilet_training', 3],
  ['fearfulness', 3],
];
export const SERVICE_SEARCH_WEIGHTS: readonly (readonly [string, number])[] = [
  ['private', 5],
  ['group', 4],
  ['puppy_school', 3],
  ['online', 2],
  ['board_and_train', 1],
  ['day_training', 1],
];

export const FIRST_NAMES = [
  'Olivia',
  'Jack',
  'Charlotte',
  'Noah',
  'Amelia',
  'Oliver',
  'Isla',
  'William',
  'Mia',
  'Leo',
  'Ava',
  'Henry',
  'Grace',
  'Thomas',
  'Chloe',
  'Lucas',
  'Ella',
  'James',
  'Sophie',
  'Ethan',
  'Harper',
  'Lachlan',
  'Zoe',
  'Cooper',
  'Ruby',
  'Mason',
  'Matilda',
  'Hamish',
  'Evie',
  'Angus',
  'Priya',
  'Raj',
  'Mei',
  'Wei',
  'Aisha',
  'Omar',
  'Sofia',
  'Marco',
  'Eleni',
  'Nikos',
  'Hannah',
  'Ben',
  'Lily',
  'Sam',
  'Jess',
  'Tom',
  'Kate',
  'Dan',
  'Emma',
  'Luke',
  'Georgia',
  'Josh',
  'Imogen',
  'Riley',
  'Tahlia',
  'Declan',
  'Bronte',
  'Kai',
  'Anika',
  'Finn',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Wilson',
  'Taylor',
  'Nguyen',
  'Johnson',
  'Martin',
  'White',
  'Anderson',
  'Walker',
  'Thompson',
  'Harris',
  'Ryan',
  'Kelly',
  'Murphy',
  "O'Brien",
  'Campbell',
  'Robinson',
  'King',
  'Wright',
  'Mitchell',
  'Clarke',
  'Hughes',
  'Lee',
  'Chen',
  'Wang',
  'Singh',
  'Patel',
  'Papadopoulos',
  'Rossi',
  'Russo',
  'Tran',
  'Le',
  'Kaur',
  'Fraser',
  'McDonald',
  'Stewart',
  'Murray',
  'Reid',
  'Bennett',
  'Cooper',
  'Ward',
  'Evans',
  'Morgan',
  'Bell',
  'Fitzgerald',
  'Sullivan',
  'Hunter',
] as const;

const NAME_ADJECTIVES = ['Happy', 'Calm', 'Clever', 'Steady', 'Bright', 'Loyal', 'Gentle', 'Confident', 'Good', 'Little'];
const NAME_NOUNS = ['Paws', 'Hounds', 'Tails', 'Pups', 'Leads', 'Companions', 'K9', 'Dogs', 'Canines', 'Wags'];

/** A business name built from the trainer, their suburb and a word or two, e.g. "Carlton Dog Training". */
export function businessName(pick: <T>(items: readonly T[]) => T, first: string, last: string, suburb: string): string {
  const adjective = pick(NAME_ADJECTIVES);
  const noun = pick(NAME_NOUNS);
  const patterns = [
    `${suburb} Dog Training`,
    `${first}'s Canine Coaching`,
    `${last} K9 Training`,
    `${adjective} ${noun} ${suburb}`,
    `${suburb} Puppy School`,
    `${adjective} ${noun} Dog Training`,
    `${first} ${last} Dog Behaviour`,
    `${suburb} ${noun} Academy`,
    `Pawsitive Steps ${suburb}`,
    `${adjective} Dog Co. (${suburb})`,
  ];
  return pick(patterns);
}

export const AGE_WORDS: Record<string, string> = {
  puppy: 'puppy',
  adolescent: 'teenage dog',
  adult: 'dog',
  senior: 'older dog',
};

export const ISSUE_STORIES: Record<string, string> = {
  pulling: 'used to drag me down the street on every walk',
  anxiety: 'was anxious around new people and places',
  reactivity: 'barked and lunged at other dogs on lead',
  aggression: 'had started snapping when anyone came near his bowl',
  recall: 'would not come back at the park',
  barking: 'barked at every noise, day and night',
  separation_anxiety: 'howled whenever we left the house',
  jumping: 'jumped all over every visitor',
  resource_guarding: 'guarded toys and food from the kids',
  mouthing: 'mouthed hands and sleeves constantly',
  toilet_training: 'was still having accidents inside',
  fearfulness: 'was scared of traffic and loud sounds',
};

export const BREEDS = [
  'cavoodle',
  'kelpie',
  'labrador',
  'border collie',
  'staffy',
  'greyhound',
  'golden retriever',
  'groodle',
  'german shepherd',
  'jack russell',
  'french bulldog',
  'rescue mix',
  'beagle',
  'cattle dog',
  'spoodle',
] as const;

export const REVIEW_OPENERS = [
  'Highly recommend.',
  'Could not be happier.',
  'Worth every cent.',
  'Five sessions in and what a difference.',
  'We tried two other trainers before this one.',
  'Booked after seeing them featured here.',
  'Honest review:',
] as const;

export const REVIEW_CLOSERS = [
  'Patient, kind and clear with us humans too.',
  'Walks are enjoyable again.',
  'The homework was easy to follow.',
  'Great with nervous dogs.',
  'Would book again for our next puppy.',
  'Results within a couple of weeks.',
  'Good value for private sessions.',
  'Friendly and always on time.',
] as const;

export const MIXED_REVIEW_CLOSERS = [
  'Some progress but it took longer than promised.',
  'Sessions felt rushed at times.',
  'Helpful advice, though hard to get hold of by phone.',
  'Not cheap, and results were mixed.',
] as const;

/** Texts the AI safety check flags, by the flag it raises. */
export const FLAGGED_REVIEW_TEXTS: Record<'spam' | 'profanity' | 'off_topic', readonly string[]> = {
  spam: [
    'Best dog training!!! Visit cheap-puppy-deals dot net for 50% off leads and collars, use code WOOF50',
    'Great trainer. Also I make $500 a day from home, message me to find out how',
    'Buy followers for your dog Instagram at the link in my profile, fast delivery',
  ],
  profanity: [
    'Absolute crap. Bloody waste of money and the trainer was a total jerk to my dog.',
    'What a load of rubbish, damn useless sessions, do not bother with these clowns.',
    'Rude as hell on the phone and the training was crap.',
  ],
  off_topic: [
    'Does anyone know a good cafe near the park that lets dogs inside?',
    'The parking near the oval is terrible on weekends, council should fix it.',
    "My neighbour's cat keeps coming into our yard, any tips?",
  ],
};
