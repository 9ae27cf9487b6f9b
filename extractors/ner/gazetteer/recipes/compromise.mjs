// compromise.mjs: derive compromise-orgs.txt and compromise-teams.txt from the
// lexicon of compromise 14.17.0 (MIT, Spencer Kelly), whose entries are lower case.
//
// Rebuild (from the repository root):
//   mkdir -p /tmp/cmp && (cd /tmp/cmp && npm pack compromise@14.17.0 && tar xzf compromise-14.17.0.tgz) &&
//   node extractors/ner/gazetteer/recipes/compromise.mjs /tmp/cmp/package extractors/ner/gazetteer
//
// Capitalisation is restored by Title Case, except for acronyms (2-5 letters without a
// vowel, or listed in ACRONYMS below) and for the spellings in FIX (mixed case, "&", "'s"
// split off as the tokenizer does, hyphens, and two misspellings in the lexicon).
// DROP removes abbreviations that are not names and entries that are not organisations
// (people, movements, programmes, empires) or that are everyday lower-case words.
import fs from 'fs'
import path from 'path'
import { pathToFileURL } from 'url'

const [pkg, outDir] = process.argv.slice(2)
if (!pkg || !outDir) {
  console.error('usage: node compromise.mjs <compromise package dir> <gazetteer dir>')
  process.exit(2)
}
const { default: nlp } = await import(pathToFileURL(path.join(pkg, 'builds/three/compromise-three.mjs')).href)
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version

const DROP = new Set([
  // abbreviations, not names
  'dept', 'univ', 'assn', 'inc', 'ltd', 'co', 'ghq', 'amt',
  // not organisations
  'brexiteers', 'eurosceptics', 'coco chanel', 'roman empire', 'scientology', 'medicaid', 'medicare',
  'academy of sciences', 'royal bank', 'notre dame',
  // everyday lower-case words
  'visa', 'prudential',
  // obscure or ambiguous short names
  'altair', 'ayer', 'mitas', 'jsa', 'bni', 'lexis', 'baxter',
  // variants of other entries
  'ben & jerry', 'destiny child',
])

const ACRONYMS = new Set(('aig nato abba amc amd aol basf cia dea doj esa eu fbi fda fifa hsbc ibm ihop ing itv katv ' +
  'kfc klm lg mlb nasa nascar nba nbc nec nfl nhl nhs nsa nwa opec pbs rbc rbs snp tmz ubs ukip unesco ups usps ' +
  'ymca ywca cbc cnn bmw bp kkk mtv gmb amc usa tgi td sc fc la').split(' '))

const FIX = {
  '20th century fox': '20th Century Fox', '7 eleven': '7-Eleven', '23andme': '23andMe', '4chan': '4chan',
  'u2': 'U2', 'g8': 'G8', 'vh1': 'VH1', 'at&t': 'AT&T', 'black & decker': 'Black & Decker', 'h & m': 'H&M',
  'johnson & johnson': 'Johnson & Johnson', 'procter & gamble': 'Procter & Gamble', "ben & jerry's": "Ben & Jerry 's",
  "destiny's child": "Destiny 's Child", 'ac/dc': 'AC/DC', 'alcatel lucent': 'Alcatel-Lucent',
  'anheuser busch': 'Anheuser-Busch', 'apple computers': 'Apple Computer', 'applebees': "Applebee 's",
  'arbys': "Arby 's", 'bf goodrich': 'BF Goodrich', 'bfgoodrich': 'BFGoodrich', 'bloomingdale': "Bloomingdale 's",
  'carls jr': "Carl 's Jr.", 'chick fil a': 'Chick-fil-A', 'coca cola': 'Coca-Cola', 'dupont': 'DuPont',
  'ebay': 'eBay', 'exxonmobil': 'ExxonMobil', 'fedex': 'FedEx', 'foxcon': 'Foxconn', 'frito lay': 'Frito-Lay',
  'github': 'GitHub', 'glaxo smith kline': 'GlaxoSmithKline', 'guns n roses': "Guns N' Roses",
  'hewlett packard': 'Hewlett-Packard', 'jpmorgan': 'JPMorgan', 'jpmorgan chase': 'JPMorgan Chase',
  'la z boy': 'La-Z-Boy', 'le oreal': "L'Oreal", 'macs milk': "Mac 's Milk", 'mcdonalds': "McDonald 's",
  'mercedes benz': 'Mercedes-Benz', 'motley crue': 'Motley Crue', 'myspace': 'MySpace', 'nandos': "Nando 's",
  'natwest': 'NatWest', 'paypal': 'PayPal', 'pepsico': 'PepsiCo', 'petrochina': 'PetroChina', 'quantas': 'Qantas',
  'readers digest': "Reader 's Digest", 'remax': 'RE/MAX', 'sainsburys': "Sainsbury 's", 't mobile': 'T-Mobile',
  'tgi fridays': "TGI Friday 's", 'toys r us': 'Toys R Us', 'warner bros': 'Warner Bros.', 'wikileaks': 'WikiLeaks',
  'yougov': 'YouGov', 'youtube': 'YouTube', 'the daily mail': 'Daily Mail', 'the beatles': 'Beatles',
  'the beach boys': 'Beach Boys', 'the black eyed peas': 'Black Eyed Peas', 'the byrds': 'Byrds',
  'the hollies': 'Hollies', 'the smashing pumpkins': 'Smashing Pumpkins', 'the supremes': 'Supremes',
  'the carpenters': 'The Carpenters', 'the guess who': 'The Guess Who', 'the who': 'The Who',
  'cloudflare': 'Cloudflare', 'airbnb': 'Airbnb', 'kmart': 'Kmart', 'telefonica': 'Telefonica',
  'new kids on the block': 'New Kids on the Block', 'national academy of sciences': 'National Academy of Sciences',
  'world trade organization': 'World Trade Organization', 'al jazeera': 'Al Jazeera', 'al qaeda': 'al Qaeda',
  'der spiegel': 'Der Spiegel', 'la presse': 'La Presse', 'st louis cardinals': 'St. Louis Cardinals',
  'st louis rams': 'St. Louis Rams', 'columbus crew sc': 'Columbus Crew SC', 'la galaxy': 'LA Galaxy',
}

const SMALL = new Set(['of', 'on', 'the', 'and', 'for', 'de', 'la', 'du'])

function word(w, i) {
  if (ACRONYMS.has(w) || (/^[a-z]{2,5}$/.test(w) && !/[aeiouy]/.test(w))) return w.toUpperCase()
  if (i > 0 && SMALL.has(w)) return w
  return w.charAt(0).toUpperCase() + w.slice(1)
}

function name(entry) {
  if (FIX[entry]) return FIX[entry]
  return entry.split(' ').map(word).join(' ')
}

const lex = nlp.model().one.lexicon
function list(tag) {
  const out = new Set()
  for (const [w, t] of Object.entries(lex)) {
    if (![].concat(t).includes(tag) || DROP.has(w)) continue
    out.add(name(w))
  }
  return [...out].sort((a, b) => a.localeCompare(b, 'en'))
}

function write(file, what, tag) {
  const names = list(tag)
  const head = [
    `# ${what}: the ${tag} entries of the lexicon of compromise ${version} (https://github.com/spencermountain/compromise),`,
    '# MIT licence, Copyright (c) 2019 Spencer Kelly. Capitalisation restored and non-names removed by the recipe.',
    '# Rebuild from the repository root:',
    '#   mkdir -p /tmp/cmp && (cd /tmp/cmp && npm pack compromise@14.17.0 && tar xzf compromise-14.17.0.tgz) &&',
    '#   node extractors/ner/gazetteer/recipes/compromise.mjs /tmp/cmp/package extractors/ner/gazetteer',
  ]
  fs.writeFileSync(path.join(outDir, file), head.join('\n') + '\n' + names.join('\n') + '\n')
  console.log(file, names.length)
}

write('compromise-orgs.txt', 'Organisations (companies, media, agencies, parties, bands)', 'Organization')
write('compromise-teams.txt', 'Sports teams (North American leagues, football clubs)', 'SportsTeam')
