package ner

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Synthesize returns docs generated news documents annotated inline (the
// format ReadInline reads, documents separated by "###"). Sentences come from
// news-writing frames (security, politics, business, sport reports, results
// lines, tables and rankings) whose slots are filled with invented people,
// invented organisations of every kind (companies, clubs, agencies, parties,
// armed groups, universities, media outlets), well-known international
// bodies, and places from the gazetteer. No real athlete or club is named:
// clubs are built from invented words or random cities. The output depends
// only on seed and docs.
func Synthesize(seed uint64, docs int) (string, error) {
	s, err := newSynth(seed)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; i < docs; i++ {
		if i > 0 {
			b.WriteString("###\n")
		}
		s.doc(&b)
	}
	return b.String(), nil
}

type synth struct {
	rng       *rand.Rand
	cities    []string
	countries []string
	demonyms  []string
	given     []string
}

func newSynth(seed uint64) (*synth, error) {
	s := &synth{rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))}
	read := func(file string) ([]string, error) {
		f, err := gazetteerFS.Open("gazetteer/" + file)
		if err != nil {
			return nil, fmt.Errorf("ner: synthesize: open %s: %w", file, err)
		}
		defer f.Close()
		var out []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") || strings.ContainsAny(line, "[]") {
				continue
			}
			out = append(out, line)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("ner: synthesize: read %s: %w", file, err)
		}
		return out, nil
	}
	var err error
	cities, err := read("cities.txt")
	if err != nil {
		return nil, err
	}
	for _, c := range cities {
		if !strings.ContainsAny(c, ".()0123456789") {
			s.cities = append(s.cities, c)
		}
	}
	if s.demonyms, err = read("geo-demonyms.txt"); err != nil {
		return nil, err
	}
	if s.given, err = read("given-names-moby.txt"); err != nil {
		return nil, err
	}
	for _, n := range regionNames() {
		if !strings.ContainsAny(n, "[]()") {
			s.countries = append(s.countries, n)
		}
	}
	return s, nil
}

func (s *synth) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

func (s *synth) chance(p float64) bool { return s.rng.Float64() < p }

// Name parts by naming tradition: given names and surname syllables. The
// syllables combine into invented surnames.
var nameCultures = []struct {
	given      []string
	head, tail []string
}{
	{nil, // English: given names from the gazetteer
		[]string{"Har", "Wil", "Ash", "Brad", "Cart", "Hol", "Mor", "Pen", "Stan", "Thorn", "Whit", "Gold", "Black", "Fair", "Lang", "Mar", "Rad", "Fen", "Chal", "Dun", "Kel", "Ross", "Pres", "Wes"},
		[]string{"ford", "ton", "ley", "well", "man", "son", "wood", "field", "by", "ham", "er", "ridge", "wick", "ing", "combe", "worth", "dale", "stone"}},
	{[]string{"Kazu", "Hiro", "Masa", "Naoki", "Takeshi", "Yuki", "Kenji", "Satoshi", "Haruto", "Akira", "Ryota", "Daisuke", "Emi", "Keiko", "Yoko", "Shinji", "Tomoya", "Kenta"},
		[]string{"Yama", "Naka", "Mori", "Ishi", "Taka", "Kawa", "Hashi", "Oka", "Fuji", "Matsu", "Sato", "Ino", "Kuro", "Shiba", "Hoso", "Aki"},
		[]string{"moto", "da", "ta", "mura", "kawa", "shima", "guchi", "no", "saki", "ki", "uchi", "hara", "zawa", "yama", "be"}},
	{[]string{"Ahmed", "Khalid", "Omar", "Yusuf", "Hassan", "Tariq", "Walid", "Samir", "Nabil", "Faisal", "Karim", "Rami", "Ziad", "Layla", "Fatima", "Amal", "Salim", "Bilal", "Majid", "Adel", "Mustafa", "Hamid"},
		[]string{"Had", "Man", "Khat", "Nas", "Sal", "Qas", "Jab", "Ham", "Rash", "Az", "Dar", "Far", "Ghan", "Sab", "Ta", "Zah"},
		[]string{"dad", "sour", "ib", "ser", "eh", "im", "er", "dan", "id", "iz", "wish", "ouk", "em", "bagh", "leb", "ran", "awi", "oui"}},
	{[]string{"Ivan", "Dmitri", "Sergei", "Oleg", "Yuri", "Pavel", "Andrei", "Nikolai", "Milan", "Goran", "Petr", "Tomas", "Jiri", "Marek", "Olga", "Irina", "Natalia", "Katarina", "Zoran", "Vlado", "Ljudmila", "Bogdan"},
		[]string{"Kov", "Petr", "Bor", "Vol", "Miro", "Ras", "Drag", "Stan", "Grab", "Kal", "Nov", "Zel", "Mak", "Lub", "Shk", "Tka", "Jov"},
		[]string{"ov", "ev", "enko", "ski", "ic", "ovic", "in", "uk", "ak", "ek", "ova", "yrin", "chuk", "ovsky", "anov"}},
	{[]string{"Carlos", "Javier", "Luis", "Miguel", "Diego", "Pablo", "Marco", "Luca", "Giovanni", "Paolo", "Sergio", "Joao", "Rui", "Ana", "Lucia", "Elena", "Rafael", "Andres", "Matteo", "Fabio", "Corrado", "Gianluca"},
		[]string{"Fer", "Gon", "Mar", "Rod", "Her", "Sal", "Bel", "Cas", "Mor", "Ros", "Bar", "Val", "Gal", "Ron", "Fab", "Ben", "Cut", "Pir"},
		[]string{"nandez", "zalez", "tinez", "riguez", "ez", "ini", "etti", "ello", "ucci", "ano", "eira", "oso", "ado", "ari", "ardi", "itta", "one"}},
	{[]string{"Jurgen", "Klaus", "Stefan", "Dieter", "Lars", "Anders", "Erik", "Jan", "Pieter", "Henrik", "Sven", "Mats", "Ulrike", "Ingrid", "Karin", "Bjorn", "Maarten", "Wim", "Jesper", "Magnus"},
		[]string{"Berg", "Lind", "Schro", "Hoff", "Bauer", "Krug", "Dahl", "Holm", "Strom", "Vos", "Mey", "Bakk", "Ronn", "Eck", "Wald"},
		[]string{"mann", "er", "sson", "sen", "strom", "gren", "kamp", "berg", "huis", "dijk", "inger", "quist", "back", "hardt"}},
	{[]string{"Kwame", "Amina", "Chidi", "Ngozi", "Tendai", "Baraka", "Kofi", "Femi", "Zanele", "Sipho", "Abdi", "Halima", "Juma", "Wanjiru", "Thabo", "Nia"},
		[]string{"Okon", "Adey", "Mwa", "Ndu", "Bak", "Oti", "Ken", "Mugo", "Tsha", "Olu", "Kama", "Nko", "Ode"},
		[]string{"kwe", "emi", "ngi", "ra", "ani", "ala", "ndo", "bo", "eke", "ola", "we", "si", "nde"}},
}

var eastAsianSurnames = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Kim", "Park", "Lee", "Choi", "Nguyen", "Tran", "Zhou", "Wu", "Sun", "Ma"}
var eastAsianGiven = []string{"Jian", "Wei", "Hong", "Ming", "Xiao", "Yong", "Jun", "Hua", "Lin", "Tae", "Min", "Soo", "Hyun", "Qiang", "Jing", "Van", "Thi", "Duc"}

// inventWord makes a pronounceable capitalised word that names nothing real
// as far as its maker knows: "Norvak", "Telmara".
func (s *synth) inventWord() string {
	on := []string{"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "kr", "st", "gr", "pl", "qu", "th", "sh", "ch"}
	vo := []string{"a", "e", "i", "o", "u", "a", "o", "ei", "ou", "ia"}
	co := []string{"", "", "", "n", "r", "l", "s", "x", "k", "m", "nt", "rn", "st"}
	n := 2
	if s.chance(0.3) {
		n = 3
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 || s.chance(0.8) {
			b.WriteString(s.pick(on))
		}
		b.WriteString(s.pick(vo))
		if i == n-1 || s.chance(0.3) {
			b.WriteString(s.pick(co))
		}
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

type person struct{ first, last string }

func (s *synth) person() person {
	if s.chance(0.1) {
		g := s.pick(eastAsianGiven)
		if s.chance(0.5) {
			g += strings.ToLower(s.pick(eastAsianGiven))
		}
		return person{first: s.pick(eastAsianSurnames), last: g}
	}
	c := nameCultures[s.rng.IntN(len(nameCultures))]
	first := ""
	if c.given == nil {
		first = s.pick(s.given)
	} else {
		first = s.pick(c.given)
	}
	last := s.pick(c.head) + s.pick(c.tail)
	if s.chance(0.1) {
		last = s.pick(c.head) + s.pick(c.tail) + "-" + s.pick(c.head) + s.pick(c.tail)
	}
	if s.chance(0.05) {
		last = "al-" + last
	}
	if s.chance(0.05) {
		last = "van der " + last
	}
	return person{first: first, last: last}
}

// fullName gives the first mention of a person: "Ana Belini", "A. Belini",
// "Ana M. Belini".
func (s *synth) fullName(p person) string {
	switch r := s.rng.Float64(); {
	case r < 0.08:
		return p.first[:1] + ". " + p.last
	case r < 0.14:
		return p.first + " " + string(rune('A'+s.rng.IntN(26))) + ". " + p.last
	}
	return p.first + " " + p.last
}

func (s *synth) city() string {
	if s.chance(0.05) {
		return s.inventWord()
	}
	return s.pick(s.cities)
}

// place names a place as news does: most often a country, else a city.
func (s *synth) place() string {
	if s.chance(0.5) {
		return s.country()
	}
	return s.city()
}

func (s *synth) country() string { return s.pick(s.countries) }

var (
	companySuffix  = []string{"Corp", "Holdings", "Group", "Inc", "Ltd", "Bank", "Airlines", "Motors", "Energy", "Telecom", "Steel", "Pharmaceuticals", "Systems", "Resources", "Capital", "Industries", "Insurance", "Mining", "Petroleum", "Foods", "Electronics", "Chemicals", "Partners", "AG", "SA", "plc", "Co"}
	clubSuffix     = []string{"United", "City", "Rovers", "Athletic", "Wanderers", "Albion", "FC", "Town", "County", "Rangers", "Olympic", "Sporting", "Dynamo", "Tigers", "Eagles", "Warriors", "Hawks", "Kings", "Lions"}
	clubPrefix     = []string{"FC", "Real", "Sporting", "Dynamo", "Racing", "Olympique", "AS", "SC", "Inter", "Lokomotiv", "Union", "Atletico", "Red Star", "Spartak", "Cercle"}
	domains        = []string{"Defence", "Defense", "Interior", "Finance", "Foreign Affairs", "Health", "Education", "Justice", "Energy", "Agriculture", "Trade", "Transport", "Labour", "Environment", "Information", "Oil"}
	agencyWords    = []string{"Agency", "Commission", "Authority", "Bureau", "Council", "Service", "Office", "Directorate", "Board", "Institute", "Administration"}
	partyAdj       = []string{"Democratic", "National", "Liberal", "Socialist", "Progressive", "Conservative", "Popular", "Green", "Labour", "Republican", "People 's", "Workers '", "Social Democratic", "Christian Democratic", "United", "Free"}
	partyNoun      = []string{"Party", "Alliance", "Front", "Movement", "Union", "Congress", "League", "Coalition", "Rally"}
	armedNoun      = []string{"Liberation Front", "Brigades", "Army", "Movement", "Front", "Resistance", "Liberation Army", "Martyrs Brigade", "Defence Forces", "Militia", "Mujahideen", "Tigers", "Guard"}
	mediaSuffix    = []string{"News", "Times", "Herald", "TV", "Post", "Tribune", "Daily", "Radio", "Gazette", "Press", "News Agency", "Television", "Journal", "Observer", "Courier", "Today"}
	intlOrgs       = []string{"United Nations", "UN", "NATO", "European Union", "EU", "World Bank", "International Monetary Fund", "IMF", "World Health Organization", "WHO", "Red Cross", "International Committee of the Red Cross", "African Union", "Arab League", "OPEC", "Interpol", "Europol", "UNHCR", "UNICEF", "World Trade Organization", "WTO", "OSCE", "ASEAN", "Amnesty International", "Human Rights Watch", "Security Council", "European Commission", "Islamic State", "ISIS", "al Qaeda", "Taliban", "Hamas", "Hezbollah", "Reuters", "Associated Press", "AFP", "BBC", "CNN", "Al Jazeera"}
	eventNames     = []string{"World Cup", "Olympic Games", "Olympics", "Grand Prix", "Open", "Championship", "Cup", "Games", "Masters", "Classic", "Trophy", "Tour", "Summit", "Festival", "Conference"}
	groupsOfPeople = []string{"Yazidis", "Muslims", "Christians", "Westerners", "Sunnis", "Shi'ites", "Kurds", "Arabs", "Europeans", "Africans", "Asians", "Jews", "Hindus", "Buddhists", "Catholics", "Protestants", "Alawites", "Druze"}
	worksMisc      = []string{"Koran", "Bible", "Torah", "New Year", "Christmas", "Ramadan", "Eid al-Fitr", "Easter", "Lunar New Year", "Euro", "Internet", "Nobel Peace Prize", "Cold War", "World War Two", "Arab Spring", "Hajj", "Nowruz"}
	titles         = []string{"President", "Prime Minister", "Foreign Minister", "Defence Minister", "Finance Minister", "Interior Minister", "General", "Gen.", "Colonel", "Col.", "Mr", "Mrs", "Ms", "Dr", "Senator", "Governor", "Mayor", "Judge", "coach", "striker", "chief executive", "spokesman", "spokeswoman", "analyst", "Commander", "Lieutenant", "King", "Sheikh"}
)

func (s *synth) company() string {
	switch r := s.rng.Float64(); {
	case r < 0.45:
		return s.inventWord() + " " + s.pick(companySuffix)
	case r < 0.55:
		return s.inventWord()
	case r < 0.65:
		return s.acronym()
	case r < 0.75:
		p, q := s.person(), s.person()
		return p.last + " & " + q.last
	case r < 0.85:
		return s.city() + " " + s.pick(companySuffix)
	}
	return s.inventWord() + " " + s.inventWord() + " " + s.pick(companySuffix)
}

func (s *synth) acronym() string {
	n := 2 + s.rng.IntN(3)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + s.rng.IntN(26))
	}
	return string(b)
}

// club names a sports club: invented ("Norvak Rovers"), or a random city with
// a club word ("FC Aalborg"), or a city alone as results tables name clubs.
func (s *synth) club() string {
	place := s.city()
	if s.chance(0.3) {
		place = s.inventWord()
	}
	switch r := s.rng.Float64(); {
	case r < 0.35:
		return place
	case r < 0.65:
		return place + " " + s.pick(clubSuffix)
	case r < 0.85:
		return s.pick(clubPrefix) + " " + place
	}
	return s.inventWord() + " " + place
}

func (s *synth) agency(country string) string {
	switch r := s.rng.Float64(); {
	case r < 0.25:
		return "Ministry of " + s.pick(domains)
	case r < 0.4:
		return s.pick(domains) + " Ministry"
	case r < 0.55:
		return "National " + s.pick(domains) + " " + s.pick(agencyWords)
	case r < 0.65:
		return "Department of " + s.pick(domains)
	case r < 0.75:
		return s.inventWord() + " " + s.pick(agencyWords)
	case r < 0.85:
		return country + " " + s.pick(domains) + " " + s.pick(agencyWords)
	}
	return s.acronym()
}

func (s *synth) party() string {
	switch r := s.rng.Float64(); {
	case r < 0.5:
		return s.pick(partyAdj) + " " + s.pick(partyNoun)
	case r < 0.7:
		return s.pick(partyAdj) + " " + s.inventWord() + " " + s.pick(partyNoun)
	case r < 0.85:
		return s.inventWord() + " " + s.pick(partyNoun)
	}
	return s.acronym()
}

func (s *synth) armed() string {
	switch r := s.rng.Float64(); {
	case r < 0.35:
		return s.inventWord() + " " + s.pick(armedNoun)
	case r < 0.55:
		return s.city() + " " + s.pick(armedNoun)
	case r < 0.7:
		return "Army of " + s.inventWord()
	case r < 0.8:
		return s.acronym()
	case r < 0.9:
		return s.inventWord() + "-" + s.inventWord()
	}
	return "al-" + s.inventWord()
}

func (s *synth) university() string {
	c := s.city()
	switch r := s.rng.Float64(); {
	case r < 0.4:
		return "University of " + c
	case r < 0.7:
		return c + " University"
	case r < 0.85:
		return c + " Institute of Technology"
	}
	return s.inventWord() + " College"
}

func (s *synth) media() string {
	switch r := s.rng.Float64(); {
	case r < 0.6:
		return s.inventWord() + " " + s.pick(mediaSuffix)
	case r < 0.8:
		return s.city() + " " + s.pick(mediaSuffix)
	case r < 0.9:
		return "Radio " + s.inventWord()
	}
	return s.acronym()
}

func (s *synth) event() string {
	switch r := s.rng.Float64(); {
	case r < 0.3:
		return s.city() + " " + s.pick(eventNames)
	case r < 0.5:
		return s.pick(s.demonyms) + " " + s.pick(eventNames)
	case r < 0.7:
		return s.inventWord() + " " + s.pick(eventNames)
	}
	return s.pick(eventNames[:4])
}

// docState holds the entities one document talks about, so that later
// sentences mention them again (surnames alone, clubs again).
type docState struct {
	people  []person
	said    map[string]bool
	country string
	city    string
}

func (s *synth) doc(b *strings.Builder) {
	st := &docState{said: map[string]bool{}, country: s.country(), city: s.city()}
	for i := 0; i < 2+s.rng.IntN(3); i++ {
		st.people = append(st.people, s.person())
	}
	kind := s.rng.IntN(10)
	if kind >= 6 {
		s.sportDoc(b, st, kind)
		return
	}
	// Dateline.
	if s.chance(0.6) {
		fmt.Fprintf(b, "[LOC %s] %d-%02d-%02d\n", strings.ToUpper(st.city), 2010+s.rng.IntN(15), 1+s.rng.IntN(12), 1+s.rng.IntN(28))
	}
	n := 3 + s.rng.IntN(5)
	for i := 0; i < n; i++ {
		b.WriteString(s.newsSentence(st))
		b.WriteByte('\n')
	}
}

// per returns one of the document's people, first in full, then mostly by
// surname.
func (s *synth) per(st *docState) string {
	p := st.people[s.rng.IntN(len(st.people))]
	key := p.first + " " + p.last
	if st.said[key] && s.chance(0.7) {
		return "[PER " + p.last + "]"
	}
	st.said[key] = true
	return "[PER " + s.fullName(p) + "]"
}

func tag(t, name string) string { return "[" + t + " " + name + "]" }

func (s *synth) num() string { return fmt.Sprint(2 + s.rng.IntN(300)) }

func (s *synth) weekday() string {
	return s.pick([]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
}

func (s *synth) anyOrg(st *docState) string {
	switch s.rng.IntN(8) {
	case 0:
		return tag("ORG", s.company())
	case 1:
		return tag("ORG", s.agency(st.country))
	case 2:
		return tag("ORG", s.party())
	case 3:
		return tag("ORG", s.armed())
	case 4:
		return tag("ORG", s.university())
	case 5:
		return tag("ORG", s.media())
	case 6:
		return tag("ORG", s.pick(intlOrgs))
	}
	return tag("ORG", s.club())
}

// newsSentence fills one frame of general news.
func (s *synth) newsSentence(st *docState) string {
	loc := func() string { return tag("LOC", s.place()) }
	ctry := func() string { return tag("LOC", s.country()) }
	nat := func() string { return tag("MISC", s.pick(s.demonyms)) }
	ttl := s.pick(titles)
	frames := []func() string{
		func() string {
			return fmt.Sprintf("%s %s told %s on %s that the talks in %s had failed .", ttl, s.per(st), tag("ORG", s.media()), s.weekday(), loc())
		},
		func() string {
			return fmt.Sprintf("%s shares rose %s percent after the company agreed to buy %s for $ %s million .", tag("ORG", s.company()), s.num(), tag("ORG", s.company()), s.num())
		},
		func() string {
			return fmt.Sprintf("The %s said %s fighters had attacked a checkpoint near %s , killing %s soldiers .", tag("ORG", s.agency(st.country)), tag("ORG", s.armed()), loc(), s.num())
		},
		func() string {
			return fmt.Sprintf("%s claimed responsibility for the bombing in a statement carried by %s .", tag("ORG", s.armed()), tag("ORG", s.media()))
		},
		func() string {
			return fmt.Sprintf("%s , leader of the opposition %s , said the vote in %s was rigged .", s.per(st), tag("ORG", s.party()), ctry())
		},
		func() string {
			return fmt.Sprintf("%s , a professor at %s , said %s %s were fleeing to %s .", s.per(st), tag("ORG", s.university()), nat(), s.pick([]string{"families", "workers", "refugees", "students"}), ctry())
		},
		func() string {
			return fmt.Sprintf("%s reported that %s had met officials from the %s in %s .", tag("ORG", s.media()), s.per(st), tag("ORG", s.pick(intlOrgs)), loc())
		},
		func() string {
			return fmt.Sprintf("The %s ruling coalition , led by the %s , lost its majority on %s .", nat(), tag("ORG", s.party()), s.weekday())
		},
		func() string {
			return fmt.Sprintf("%s %s flew to %s for talks with %s counterpart %s .", nat(), ttl, loc(), s.pick([]string{"his", "her"}), s.per(st))
		},
		func() string {
			return fmt.Sprintf("\" We will not negotiate with %s , \" %s said .", tag("ORG", s.armed()), s.per(st))
		},
		func() string {
			return fmt.Sprintf("%s said in a statement that %s would cut %s jobs at its plant in %s , %s .", tag("ORG", s.company()), s.pick([]string{"it", "the group"}), s.num(), loc(), ctry())
		},
		func() string {
			return fmt.Sprintf("%s analyst %s said the %s was likely to raise rates .", tag("ORG", s.company()), s.per(st), tag("ORG", s.pick([]string{"central bank", "Federal Reserve", "Bundesbank", "Bank of " + s.country(), "European Central Bank"})))
		},
		func() string {
			return fmt.Sprintf("%s and %s were among those attending the %s in %s .", s.per(st), s.per(st), tag("MISC", s.event()), loc())
		},
		func() string {
			return fmt.Sprintf("Police said the suspects were %s and had links to %s , according to %s .", tag("MISC", s.pick(groupsOfPeople)), s.anyOrg(st), tag("ORG", s.media()))
		},
		func() string {
			return fmt.Sprintf("%s fighters killed hundreds of %s in %s , %s said .", tag("ORG", s.armed()), tag("MISC", s.pick(groupsOfPeople)), loc(), tag("ORG", s.pick(intlOrgs)))
		},
		func() string {
			return fmt.Sprintf("The celebrations for %s were cancelled in %s after the attack .", tag("MISC", s.pick(worksMisc)), loc())
		},
		func() string {
			return fmt.Sprintf("%s quoted a local official as saying the %s had burned copies of the %s .", tag("ORG", s.media()), tag("ORG", s.armed()), tag("MISC", s.pick(worksMisc[:3])))
		},
		func() string {
			return fmt.Sprintf("%s , the %s news agency , said %s had resigned as %s chief .", tag("ORG", s.media()), nat(), s.per(st), tag("ORG", s.agency(st.country)))
		},
		func() string {
			return fmt.Sprintf("%s , which owns %s , reported a net profit of %s million %s .", tag("ORG", s.company()), tag("ORG", s.company()), s.num(), s.pick([]string{"dollars", "euros", "pounds", "yen"}))
		},
		func() string {
			return fmt.Sprintf("Troops from %s and %s joined a %s mission in %s .", ctry(), ctry(), tag("ORG", s.pick(intlOrgs)), ctry())
		},
		func() string {
			return fmt.Sprintf("%s , %s ( %s ) - %s said on %s it had signed a deal with %s .", tag("LOC", s.city()), ctry(), tag("ORG", s.media()), tag("ORG", s.company()), s.weekday(), s.anyOrg(st))
		},
		func() string {
			return fmt.Sprintf("%s beat %s in the race for the %s seat , the %s said .", s.per(st), s.per(st), loc(), tag("ORG", s.pick([]string{"Election Commission", "electoral commission", s.inventWord() + " Electoral Commission"})))
		},
		func() string {
			return fmt.Sprintf("%s was arrested at %s %s on her return from %s .", s.per(st), tag("LOC", s.city()+" "+s.pick([]string{"Airport", "International Airport", "station", "port"})), "", ctry())
		},
		func() string {
			return fmt.Sprintf("Speaking to %s , %s of %s said the %s economy would grow .", tag("ORG", s.media()), s.per(st), s.anyOrg(st), nat())
		},
		func() string {
			return fmt.Sprintf("%s has been coach of %s since %d .", s.per(st), tag("ORG", s.club()), 2000+s.rng.IntN(25))
		},
		func() string {
			return fmt.Sprintf("%s signed %s from %s for %s million euros .", tag("ORG", s.club()), s.per(st), tag("ORG", s.club()), s.num())
		},
	}
	out := frames[s.rng.IntN(len(frames))]()
	if s.chance(0.35) {
		// An opening that is not a name, so that a capitalised first word
		// is not taken for one.
		out = s.opening(st) + " " + strings.ToLower(out[:1]) + out[1:]
		if strings.HasPrefix(out, "[") {
			out = out[:1] + strings.ToUpper(out[1:2]) + out[2:]
		}
	}
	return strings.Join(strings.Fields(out), " ")
}

// opening returns the start of a sentence that names nobody, or only a
// place or an outlet: "Last year ,", "Senior officials said", "Several".
func (s *synth) opening(st *docState) string {
	plain := []string{"Last year ,", "On " + s.weekday() + " ,", "Meanwhile ,", "Separately ,", "Earlier ,", "Senior officials said",
		"Several witnesses said", "Mandatory checks showed", "Officials said", "Police said", "Analysts said", "Critics said",
		"Local media reported that", "A statement said", "It was not clear whether", "Previously ,", "Late on " + s.weekday() + " ,",
		"Under the deal ,", "Despite the violence ,", "In a separate incident ,", "Elsewhere ,", "Residents said", "Diplomats said",
		"According to " + tag("ORG", s.media()) + " ,", "In " + tag("LOC", s.city()) + " ,", tag("MISC", s.pick(s.demonyms)) + " officials said",
		tag("MISC", s.pick(s.demonyms)) + " media reported that", "Writing in " + tag("ORG", s.media()) + " ,"}
	return s.pick(plain)
}

// sportDoc writes a sports report, results lines, a table or a ranking.
func (s *synth) sportDoc(b *strings.Builder, st *docState, kind int) {
	sport := s.pick([]string{"SOCCER", "BASKETBALL", "RUGBY UNION", "CRICKET", "TENNIS", "ATHLETICS", "ICE HOCKEY", "BASEBALL", "CYCLING", "SKIING", "GOLF", "MOTOR RACING"})
	ev := s.event()
	fmt.Fprintf(b, "%s - %s\n", sport, strings.ToUpper(s.headline(st, ev)))
	if s.chance(0.7) {
		fmt.Fprintf(b, "[LOC %s] %d-%02d-%02d\n", strings.ToUpper(st.city), 2010+s.rng.IntN(15), 1+s.rng.IntN(12), 1+s.rng.IntN(28))
	}
	switch kind {
	case 6: // results lines between clubs
		if s.chance(0.5) {
			fmt.Fprintf(b, "Results of %s matches on %s :\n", tag("MISC", ev), s.weekday())
		}
		for i := 0; i < 3+s.rng.IntN(6); i++ {
			fmt.Fprintf(b, "%s %d %s %d\n", tag("ORG", s.club()), s.rng.IntN(5), tag("ORG", s.club()), s.rng.IntN(5))
		}
	case 7: // standings table
		fmt.Fprintf(b, "Standings ( tabulate under played , won , drawn , lost , goals for , against , points ) :\n")
		for i := 0; i < 3+s.rng.IntN(6); i++ {
			p := 10 + s.rng.IntN(20)
			w := s.rng.IntN(p)
			d := s.rng.IntN(p - w + 1)
			fmt.Fprintf(b, "%s %d %d %d %d %d %d %d\n", tag("ORG", s.club()), p, w, d, p-w-d, s.rng.IntN(60), s.rng.IntN(60), 3*w+d)
		}
	case 8: // ranking of athletes with their country
		for i := 1; i <= 3+s.rng.IntN(6); i++ {
			p := s.person()
			name := s.fullName(p)
			if s.chance(0.3) {
				name = strings.ToUpper(p.last) + " " + p.first
			}
			fmt.Fprintf(b, "%d. %s ( %s ) %d:%02d.%02d\n", i, tag("PER", name), tag("LOC", s.country()), s.rng.IntN(3), s.rng.IntN(60), s.rng.IntN(100))
		}
	default: // report in prose
		c1, c2 := s.club(), s.club()
		lines := []string{
			fmt.Sprintf("%s beat %s %d-%d on %s to go top of the %s table .", tag("ORG", c1), tag("ORG", c2), 1+s.rng.IntN(4), s.rng.IntN(2), s.weekday(), tag("MISC", s.pick(s.demonyms))+" league"),
			fmt.Sprintf("%s scored twice for %s before %s pulled one back for %s .", s.per(st), tag("ORG", c1), s.per(st), tag("ORG", c2)),
			fmt.Sprintf("%s coach %s said his side had deserved to win .", tag("ORG", c2), s.per(st)),
			fmt.Sprintf("%s captain %s was sent off in the %d th minute .", tag("LOC", s.country()), s.per(st), 10+s.rng.IntN(80)),
			fmt.Sprintf("%s ( %s ) beat %s ( %s ) 6-%d 6-%d .", s.per(st), tag("LOC", s.country()), s.per(st), tag("LOC", s.country()), s.rng.IntN(5), s.rng.IntN(5)),
			fmt.Sprintf("%s will meet %s in the final of the %s in %s .", tag("LOC", s.country()), tag("LOC", s.country()), tag("MISC", ev), tag("LOC", st.city)),
			fmt.Sprintf("%s , who joined %s from %s last season , was injured .", s.per(st), tag("ORG", c1), tag("ORG", s.club())),
		}
		s.rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		for _, l := range lines[:3+s.rng.IntN(4)] {
			b.WriteString(strings.Join(strings.Fields(l), " "))
			b.WriteByte('\n')
		}
	}
}

func (s *synth) headline(st *docState, ev string) string {
	switch s.rng.IntN(4) {
	case 0:
		return tag("ORG", s.club()) + " BEAT " + tag("ORG", s.club())
	case 1:
		return tag("PER", st.people[0].last) + " WINS " + tag("MISC", ev)
	case 2:
		return tag("LOC", s.country()) + " BEAT " + tag("LOC", s.country())
	}
	return tag("MISC", ev) + " RESULTS"
}
