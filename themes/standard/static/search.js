// Full-text search over the split index in data/soeg/ (written by src/search/).
// A query downloads the manifest, the shard of each query word's first two letters
// and the document files of the results shown; nothing leaves the site.
//
// Stemming: a port of the Snowball Danish stemmer (the one rust-stemmers runs at build
// time), so that inflections never seen in the corpus ("indbruddene") still reach
// their stem. A word-to-stem map in the index would only know the corpus' words and
// cost bytes in every shard; tests/search.rs checks that both stemmers agree.
//
// Also loaded by node in the tests (module.exports); the page part runs only in a
// browser. Without this script the page lists everything and links to the overviews.
(function () {
  "use strict";

  var FOLD = { "æ": "ae", "ä": "ae", "ø": "oe", "ö": "oe", "å": "aa", "ü": "ue", "à": "a", "á": "a", "â": "a",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ò": "o", "ó": "o", "ô": "o",
    "ù": "u", "ú": "u", "û": "u", "ç": "c", "ñ": "n" };
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  /** Lower case a-z0-9; æ/ø/å as ae/oe/aa (as in the slugs), like src/search/text.rs. */
  function fold(w) {
    var out = "";
    for (var c of w.toLowerCase()) {
      if ((c >= "a" && c <= "z") || (c >= "0" && c <= "9")) out += c;
      else if (FOLD[c]) out += FOLD[c];
    }
    return out;
  }

  // --- Snowball Danish (snowballstem.org/algorithms/danish/stemmer.html) ---
  var V = "aeiouyæåø", S_ENDING = "abcdfghjklmnoprtvyzå";
  var byLength = function (a, b) { return b.length - a.length; };
  var MAIN = ("hed ethed ered e erede ende erende ene erne ere en heden eren er heder erer heds es endes " +
    "erendes enes ernes eres ens hedens erens ers ets erets et eret s").split(" ").sort(byLength);
  var OTHER = ["ig", "lig", "elig", "els", "løst"].sort(byLength);
  var isV = function (c) { return V.indexOf(c) >= 0; };

  /** R1: after the first non-vowel that follows a vowel, at least 3 letters in. */
  function r1(w) {
    if (w.length < 3) return w.length;
    var i = 0;
    while (i < w.length && !isV(w[i])) i++;
    while (i < w.length && isV(w[i])) i++;
    return i < w.length ? Math.max(i + 1, 3) : w.length;
  }
  /** The longest of `list` that ends `w` inside R1. */
  function suffix(w, list, p1) {
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (w.length - s.length >= p1 && w.endsWith(s)) return s;
    }
    return null;
  }
  function consonantPair(w, p1) {
    return suffix(w, ["gd", "dt", "gt", "kt"], p1) ? w.slice(0, -1) : w;
  }
  function stem(w) {
    var p1 = r1(w);
    var s = suffix(w, MAIN, p1);
    if (s === "s") { if (S_ENDING.indexOf(w[w.length - 2]) >= 0) w = w.slice(0, -1); }
    else if (s) w = w.slice(0, -s.length);
    w = consonantPair(w, p1);
    if (w.endsWith("igst")) w = w.slice(0, -2);
    s = suffix(w, OTHER, p1);
    if (s === "løst") w = w.slice(0, -1);
    else if (s) w = consonantPair(w.slice(0, -s.length), p1);
    // Undouble: Snowball's "non-v" is any character but a vowel, digits too ("uge33").
    var last = w[w.length - 1];
    if (w.length - 1 >= p1 && !isV(last) && w[w.length - 2] === last) w = w.slice(0, -1);
    return w;
  }

  /** Nouns that drop their last e when inflected (e-synkope: svindel, svindlere), which
   *  the stemmer keeps apart. A list, not a rule: the same ending on other words
   *  ("handel", whose form without the e is the stem of "handler om") would find
   *  nearly every section. Folded, as queries are. */
  var SYNCOPE = ("svindel offer regel middel nummer cykel aften sommer vinter titel artikel " +
    "eksempel kapitel faengsel vinkel onkel tempel himmel").split(" ");

  /** The stems of a listed noun's forms without its last e: "svindel" finds
   *  "svindler", "svindlere"; "regel" finds "regler"; "offer" finds "ofre" (a doubled
   *  consonant before the e goes single). A compound ending in one does too:
   *  "telefonsvindel" finds "telefonsvindlere", "voldsoffer" finds "voldsofre". Empty
   *  for other words. */
  function syncope(f) {
    var m = /^(.*[^aeiouy])e([lnr])$/.exec(f);
    var listed = SYNCOPE.some(function (n) { return f === n || (f.endsWith(n) && f.length - n.length >= 3); });
    if (!m || !listed) return [];
    var base = m[1], out = [stem(base + m[2])];
    var n = base.length;
    if (n > 2 && base[n - 1] === base[n - 2]) out.push(stem(base.slice(0, -1) + m[2]));
    return out;
  }

  /** A word written with "aa" at its start is a name (Aars, Aalborg): indexed as folded,
   *  not stemmed, as is_name in src/search/text.rs says. */
  function isName(w) {
    return /^aa/i.test(w);
  }

  /** The query's terms: folded words without stop words, each with its stem. */
  function queryTerms(q, stop) {
    var seen = {}, out = [];
    (String(q).match(WORD) || []).forEach(function (w) {
      var f = fold(w);
      // Longer words are not indexed (LONGEST_WORD in src/search/text.rs).
      if (f.length < 2 || f.length > 64 || stop.indexOf(f) >= 0) return;
      var t = stem(f);
      if (!seen[t]) { seen[t] = true; out.push(t); }
    });
    return out;
  }

  /** Spelling aside: "hjorring", "Hjørring" and "hjoerring" are one name. */
  function loose(f) {
    return f.replace(/oe/g, "o").replace(/ae/g, "a").replace(/aa/g, "a");
  }

  /** A year the site has plans for, written as a word of a query of more words
   *  ("trafik 2026"), unless the year filter says another: a document matches it by the
   *  word or by belonging to a plan for that year (see `search`). Else null. */
  function yearWord(q, m, stop, filters) {
    if (!m._years) {
      m._years = {};
      for (var i = 0; i + 5 < m.groups.length; i += 6) {
        for (var y = m.groups[i + 3]; y >= 0 && y <= m.groups[i + 4]; y++) m._years[y] = true;
      }
    }
    if (queryTerms(q, stop).length < 2) return null;
    // Not a year of a span ("flerårsaftalen 2021-2024" names the agreement).
    var spans = String(q).match(/\d{4}\s*[-–]\s*\d{4}/g) || [];
    var years = (String(q).match(WORD) || []).filter(function (w, i, all) {
      return /^\d{4}$/.test(w) && m._years[w] && (!filters.aar || filters.aar === w) && all.indexOf(w) === i &&
        !spans.some(function (sp) { return sp.indexOf(w) >= 0; });
    });
    return years.length === 1 ? years[0] : null;
  }

  /** The kommuner by their names spelt loosely (made once per manifest): those whose
   *  names have no hyphen, which are read as places. */
  function spellings(m) {
    if (!m._spellings) {
      m._spellings = {};
      (m.kommuner || []).forEach(function (slug) { if (slug.indexOf("-") < 0) m._spellings[loose(slug)] = slug; });
    }
    return m._spellings;
  }

  /** A query read for places: a word that is a kommune's name, spelt with or without
   *  æ/ø/å or with a genitive s ("Randers", "hjorring", "Vesthimmerlands"), is respelt
   *  as the index spells it. In a query of more words it also becomes a place: a
   *  document matches it by the word, or by belonging to the kommune or to its
   *  kredsråd's plans (see `search`), so "Aarhus indbrud" finds Østjylland's "Indbrud
   *  i privat beboelse", which never names Aarhus, while "Tryg Aalborg" still finds
   *  the sections that say it. A kommune whose name has a hyphen is not read so
   *  ("Brande" is also a word). Returns { q, kommune } with the kommune's slug if any. */
  function places(q, m, stop, filters) {
    var spelt = spellings(m), words = String(q).match(WORD) || [], kommune = null;
    var several = queryTerms(q, stop).length > 1;
    var out = words.map(function (w) {
      var f = loose(fold(w)), slug = spelt[f] || (/s$/.test(f) && spelt[f.slice(0, -1)]);
      if (!slug) return w;
      if (several && !kommune && (!filters.kommune || filters.kommune === slug)) kommune = slug;
      return slug;
    });
    return { q: out.join(" "), kommune: kommune };
  }

  /** The index at `base` (URL of data/soeg/, with the slash); `load(url)` gives JSON. */
  function Index(base, load) {
    this.base = base;
    this.load = load;
    this.cache = {};
  }
  Index.prototype.get = function (rel) {
    if (!this.cache[rel]) this.cache[rel] = this.load(this.base + rel);
    return this.cache[rel];
  };
  Index.prototype.manifest = function () { return this.get("indeks.json"); };

  /** A kommune's name misspelt by a letter ("Randrs indbrud", "Hjøring indbrud"), in
   *  a query of more words (`q` as `places` gave it), read as the place as `places`
   *  reads one spelt right, when the index has neither the word nor words it begins
   *  ("gerning" is not Herning: the index has "gerningsmand"), and the word is written
   *  with a capital, as a name is, or has the name's first letter. Null if none. */
  Index.prototype.nearPlace = async function (q, m, filters) {
    if (queryTerms(q, m.stop).length < 2) return null;
    var spelt = spellings(m), words = String(q).match(WORD) || [];
    for (var i = 0; i < words.length; i++) {
      var f = loose(fold(words[i])), g = f.replace(/s$/, "");
      // A name is written with a capital: a word in lower case that is a name but for
      // its first letter is a word ("vold truer" is not Struer, though the plans never
      // write "truer"); one misspelt later on is the name ("randrs indbrud").
      var lower = words[i][0] === words[i][0].toLowerCase();
      if (f.length < 5) continue;
      var sp = Object.keys(spelt).find(function (sp) {
        if (lower && f[0] !== sp[0]) return false;
        return (distance(f, sp, 1) <= 1 || distance(g, sp, 1) <= 1) && (!filters.kommune || filters.kommune === spelt[sp]);
      });
      if (!sp) continue;
      var slug = spelt[sp];
      var t = stem(fold(words[i])), shard = t.slice(0, 2);
      if (m.shards.indexOf(shard) >= 0) {
        var terms = await this.get("t/" + shard + ".json");
        // (The kommune's own name and its compounds aside: "hernnig" stems to "hern".)
        var own = stem(slug);
        var word = Object.keys(terms).some(function (k) {
          return !k.startsWith(own) && (k === t || (t.length >= 3 && k.startsWith(t)));
        });
        if (word) continue;
      }
      words[i] = slug;
      return { q: words.join(" "), kommune: slug };
    }
    return null;
  };

  /** How many documents a shard's entry for a term lists: its postings, or their count
   *  when they have a file of their own. */
  function docCount(entry) {
    return typeof entry === "number" ? entry : entry.length / 2;
  }

  /** Postings of one index term: a Map doc → score. */
  Index.prototype.postings = async function (shard, term, entry) {
    var list = typeof entry === "number" ? await this.get("t/" + shard + "/" + term + ".json") : entry;
    var map = new Map(), doc = 0;
    for (var i = 0; i + 1 < list.length; i += 2) { doc += list[i]; map.set(doc, list[i + 1]); }
    return map;
  };

  /** Docs matching one query term: its exact stem and every index term it begins (a
   *  word still being typed, and Danish compounds: "ungdom" finds
   *  "ungdomskriminalitet"). When the exact stem exists, the longer words count half,
   *  so that the word itself ranks first; short terms (under four letters) are not
   *  extended past an exact stem ("bil" is not "bilag"). `matched` collects the index
   *  terms used, for highlighting. */
  Index.prototype.lookup = async function (term, matched, exactOnly, corrected, typed) {
    var m = await this.manifest(), shard = term.slice(0, 2), out = new Map();
    if (m.shards.indexOf(shard) < 0) return out;
    var terms = await this.get("t/" + shard + ".json");
    var exact = Object.prototype.hasOwnProperty.call(terms, term);
    var longer = exactOnly || exact && term.length < 4 ? []
      : Object.keys(terms).filter(function (k) { return k !== term && k.startsWith(term); }).slice(0, 40);
    var keys = (exact ? [term] : []).concat(longer);
    if (!keys.length && !exactOnly) return this.loosely(term, matched, corrected, typed);
    // Only words its stem begins, none the word as typed begins (so not a word being
    // typed: "trafiksik"), all rarer than a word one or two letters off: a misspelling
    // that happens to begin a rare compound ("tryghet", whose stem "trygh" begins
    // "tryghedskamera", is "tryghed"; "sikkerhet" is "sikkerhed").
    // (Nor when a word it begins is itself near the word as typed, with an ending:
    // "kommunae" is "kommuner", not "kommun"; "gennemsigt" is on its way to
    // "gennemsigtig", whose stem is "gennemsig".)
    var asTyped = loose(typed || term), mx = asTyped.length >= 9 ? 2 : 1;
    var begun = longer.some(function (k) {
      return k.startsWith(asTyped) || withEnding(asTyped, loose(k), mx) <= mx;
    });
    if (!exact && !exactOnly && corrected && term.length >= 5 && !begun) {
      var near = await this.nearly(term, typed || term, [shard]);
      var rarer = longer.reduce(function (n, k) { return n + docCount(terms[k]); }, 0);
      if (near && longer.indexOf(near) < 0 && !near.startsWith(term) && docCount(terms[near]) > rarer) {
        return this.readAs(term, near, matched, corrected);
      }
    }
    var big = 0, best = Infinity;
    for (var k of keys) {
      // a prefix seldom needs more than a few large lists; each is a download
      if (k !== term && typeof terms[k] === "number" && keys.length > 1 && ++big > 3) continue;
      matched.add(k);
      var list = await this.postings(shard, k, terms[k]);
      if (k === term) {
        best = 0;
        for (var [, s0] of list) best = Math.max(best, s0);
        // Only a heading's score holds the compounds down: where the word is in no
        // heading ("narko", said in passing), a heading with a compound of it
        // ("Fokus på narkokriminalitet") is what the reader looks for. A heading
        // scores at least 3 × idf (×10), more than a text can (src/search/mod.rs).
        var idf = Math.log(1 + (m.docs - list.size + 0.5) / (list.size + 0.5));
        // (Scores are rounded: a heading's may be half a point under 30 × idf.)
        if (best < 30 * idf - 1) best = Infinity;
      }
      // A longer word (a compound: "tryghedskameraer" for "tryghed") counts half, and
      // never more than half the word's own best heading: a rare compound's high score
      // put "Tryghedskameraer" ahead of the sections titled "tryghed".
      var cap = k === term ? Infinity : best / 2;
      var weight = exact && k !== term ? 0.5 : 1;
      for (var [d, s] of list) out.set(d, Math.max(out.get(d) || 0, Math.min(s * weight, cap)));
    }
    return out;
  };

  /** The facets of a document: [kreds, kommune, first year, last year, plan type]. */
  function facets(m, doc) {
    var g = m.groups, lo = 0, hi = g.length / 6 - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (g[mid * 6] <= doc) lo = mid; else hi = mid - 1;
    }
    return g.slice(lo * 6 + 1, lo * 6 + 6);
  }

  /** A filter over doc ids from { kreds, kommune, aar, type, indsats } (slugs). */
  Index.prototype.filter = async function (f) {
    var m = await this.manifest();
    var want = [m.kredse.indexOf(f.kreds), m.kommuner.indexOf(f.kommune)];
    // A kommune's kreds: its kredsråd's plans are the kommune's too.
    var home = want[1] >= 0 && m.kommune_kreds ? m.kommune_kreds[want[1]] : -2;
    var year = parseInt(f.aar, 10), type = m.types.indexOf(f.type);
    var inds = null;
    if (f.indsats && /^[a-z0-9-]+$/.test(f.indsats)) {
      var ids = await this.get("i/" + f.indsats + ".json").catch(function () { return []; });
      inds = new Set();
      ids.reduce(function (d, x) { inds.add(d + x); return d + x; }, 0);
    }
    return function (doc) {
      var x = facets(m, doc);
      if (f.kreds && x[0] !== want[0]) return false;
      if (f.kommune && x[1] !== want[1] && !(x[1] === -1 && x[0] === home)) return false;
      if (f.aar && !(x[2] <= year && year <= x[3])) return false;
      if (f.type && x[4] !== type) return false;
      return !inds || inds.has(doc);
    };
  };

  /** Every match of `q` under `filters`, best first: { hits: [[doc, score]], matched }.
   *  Every query word must match; scores add up. */
  Index.prototype.search = async function (q, filters) {
    // Composed letters, as the index has them: "å" pasted as "a" and a ring is "å".
    q = String(q).normalize("NFC");
    var m = await this.manifest(), place = places(q, m, m.stop, filters || {});
    if (!place.kommune) place = (await this.nearPlace(place.q, m, filters || {})) || place;
    // The year as written (a span's hyphen is gone from the respelt query).
    var year = yearWord(q, m, m.stop, filters || {});
    q = place.q;
    var terms = queryTerms(q, m.stop), matched = new Set(), corrected = [];
    var none = { hits: [], matched: matched, terms: terms, place: place.kommune, year: year, corrected: corrected };
    if (!terms.length) return none;
    // Each query word matches by its stem, or by a form of it without the e Danish drops.
    // A word written with "aa" at its start is a name first (isName).
    var alts = {}, names = {}, typed = {};
    (String(q).match(WORD) || []).forEach(function (w) {
      var f = fold(w), s = stem(f);
      if (terms.indexOf(s) < 0) return;
      typed[s] = typed[s] || f;
      alts[s] = (alts[s] || []).concat(syncope(f).filter((a) => a !== s));
      if (isName(w) && f !== s) names[s] = f;
    });
    var lists = await Promise.all(terms.map(async (t) => {
      // The other forms by their exact stem only: "svindl" is not a prefix to extend.
      var all = await Promise.all([t].concat(alts[t] || []).map((k, i) => this.lookup(k, matched, i > 0, corrected, typed[t])));
      var out = all[0];
      for (var more of all.slice(1)) for (var [d, s] of more) out.set(d, Math.max(out.get(d) || 0, s));
      // "Aars" finds the town first; "år" by its stem counts half. A name the index does
      // not have ("aabningstider" typed for "åbningstider") leaves the stem's scores whole.
      var byName = names[t] ? await this.lookup(names[t], matched, true) : new Map();
      if (byName.size) {
        for (var [d1, s1] of out) out.set(d1, s1 / 2);
        for (var [d2, s2] of byName) out.set(d2, Math.max(out.get(d2) || 0, s2));
      }
      return out;
    }));
    // A place's word matches by the word or by the place (its score, if any, counts); a
    // year's by the word or by the year, and the year's plans come first ("trafik 2026":
    // a 2025 plan's "i 2026" is not what was asked for), its score not counted.
    var placeTerm = place.kommune ? stem(fold(place.kommune)) : null, placeList = null, yearList = null;
    var rest = [];
    terms.forEach(function (t, i) {
      if (t === placeTerm && !placeList) placeList = lists[i];
      else if (t === year && !yearList) yearList = lists[i];
      else rest.push(lists[i]);
    });
    // A query of a place and a year alone: the year is a word like any other; and a
    // place alone (a name typed twice, respelt alike) is a word too.
    if (!rest.length && yearList) { rest.push(yearList); yearList = null; }
    if (!rest.length && placeList) { rest.push(placeList); placeList = null; }
    if (!yearList) year = null;
    lists = rest;
    var inPlace = placeList ? await this.filter({ kommune: place.kommune }) : null;
    var inYear = yearList ? await this.filter({ aar: year }) : null;
    var home = place.kommune ? m.kommuner.indexOf(place.kommune) : -1;
    lists.sort(function (a, b) { return a.size - b.size; });
    var keep = await this.filter(filters || {}), hits = [];
    for (var [d, s] of lists[0]) {
      // `first` ranks before the score: the year's plans first; then, of a place, the
      // texts that name it or are in the kommune's own plans, before the kredsråd's
      // texts that do not name it (about another kommune, as often as not:
      // "Frederikshavn indbrud" led with Nordjylland's section on Hjørring).
      var total = s, all = true, first = 0;
      for (var i = 1; i < lists.length && all; i++) {
        if (lists[i].has(d)) total += lists[i].get(d); else all = false;
      }
      if (all && placeList) {
        var named = placeList.has(d) || facets(m, d)[1] === home;
        if (placeList.has(d)) total += placeList.get(d); else all = inPlace(d);
        first = named ? 1 : 0;
      }
      if (all && yearList) {
        var ofYear = inYear(d);
        all = ofYear || yearList.has(d);
        first += ofYear ? 2 : 0;
      }
      if (all && keep(d)) hits.push([d, total, first]);
    }
    // Equal scores (a text carried over unchanged): within one issuer's plans the newer
    // plan first, else in the index's order.
    hits.sort(function (a, b) {
      if (b[2] !== a[2]) return b[2] - a[2];
      if (b[1] !== a[1]) return b[1] - a[1];
      var x = facets(m, a[0]), y = facets(m, b[0]);
      var sameIssuer = x[4] >= 0 && x[0] === y[0] && x[1] === y[1] && x[4] === y[4];
      return sameIssuer && x[3] !== y[3] ? y[3] - x[3] : a[0] - b[0];
    });
    return { hits: hits, matched: matched, terms: terms, place: place.kommune, year: year, corrected: corrected };
  };

  /** A term found neither as it is nor as the start of an index term: the index terms it
   *  begins with æ, ø and å typed as a, o and a ("sarbare" for "sårbare", "narstation"
   *  for "nærstation", "aresrelateret" for "æresrelateret"), as kommune names are read,
   *  looked for in the shards such a term can be in. */
  Index.prototype.loosely = async function (term, matched, corrected, typed) {
    var m = await this.manifest(), want = loose(term), out = new Map(), big = 0;
    var shards = [term.slice(0, 2)].concat(term[0] === "a" ? ["aa", "ae"] : term[0] === "o" ? ["oe"] : [])
      .filter(function (shard) { return m.shards.indexOf(shard) >= 0; });
    var found = [];
    for (var shard of shards) {
      var terms = await this.get("t/" + shard + ".json");
      Object.keys(terms).filter(function (k) { return loose(k).startsWith(want); }).slice(0, 40)
        .forEach(function (k) { found.push([shard, k, terms[k]]); });
    }
    // Still nothing: a word misspelt by a letter or two ("Hjøring", "ungdomskriminallitet")
    // is looked up as the nearest word the index has, as if typed so.
    if (!found.length) {
      var near = await this.nearly(term, typed || term, shards);
      return near ? this.readAs(term, near, matched, corrected) : out;
    }
    for (var [sh, k, entry] of found) {
      if (typeof entry === "number" && ++big > 3) continue;
      matched.add(k);
      for (var [d, s] of await this.postings(sh, k, entry)) out.set(d, Math.max(out.get(d) || 0, s));
    }
    return out;
  };

  /** Query term `term` looked up as index term `near`, as if typed so; `corrected` (if
   *  given) notes it, for the page to say. */
  Index.prototype.readAs = function (term, near, matched, corrected) {
    if (corrected) corrected.push([term, near]);
    return this.lookup(near, matched, false);
  };

  /** How many letters to add, drop, change or swap to make `a` into `b` (optimal string
   *  alignment), or `max + 1` once it is sure to be more than `max`. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    // Three rows, reused: this runs for every term of a shard.
    var n = b.length, before = ROWS[0], prev = ROWS[1], row = ROWS[2], i, j;
    if (before.length <= n) { ROWS = [[], [], []]; before = ROWS[0]; prev = ROWS[1]; row = ROWS[2]; }
    for (j = 0; j <= n; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      row[0] = i;
      var least = i;
      for (j = 1; j <= n; j++) {
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row[j] = d;
        if (d < least) least = d;
      }
      if (least > max) return max + 1;
      var t = before; before = prev; prev = row; row = t;
    }
    return prev[n];
  }
  var ROWS = [[], [], []];

  /** The endings the stemmer takes off, and none: an index term with one of them is a
   *  word as it could have been typed ("tryg" + "hed" for "tryghd"). Not "løst", which
   *  it only shortens to "løs" ("hjem" + "løst" read "hjemløse" as "hjem"). */
  var ENDINGS = [""].concat(MAIN, OTHER.filter(function (e) { return e !== "løst"; })).map(loose);

  /** How near `want` (spelt loosely) is to index term `lk` (spelt loosely) with one of
   *  the ENDINGS, up to `max` (an ending too long or too short to bring it that near is
   *  not tried). */
  function withEnding(want, lk, max) {
    var d = max + 1;
    for (var e of ENDINGS) {
      if (d === 0) break;
      if (Math.abs(want.length - lk.length - e.length) <= max) d = Math.min(d, distance(want, lk + e, max));
    }
    return d;
  }

  /** The index term in `shards` nearest to `typed` (a query word, folded; `term` is its
   *  stem) spelt loosely: the typed word against the term and the term with each ending
   *  the stemmer removes, and the stem against the term ("forbyggelse" is "forebyg"
   *  one letter off, as its stem "forbyg"). One letter off for a word of five to eight
   *  letters, two for a longer one (shorter words are too near too many others: "bil",
   *  "bus"). Of equally near terms, one of four letters or more that begins another
   *  stands for both (its lookup finds the longer as a compound: "ungdomskriminalit"
   *  for "ungdomskriminalitet"); then the longest, which takes the most of what was typed
   *  as it is, not as an ending ("tryhed" is "tryg" + "hed" and "tre" + "hed" alike,
   *  "sikerhed" "sikker" + "hed" and "sikr" + "hed"), then the one in the most
   *  documents. Null if none. A misspelt first or second letter puts the word
   *  in another shard, and is not found. */
  Index.prototype.nearly = async function (term, typed, shards) {
    var key = term + " " + typed + " " + shards.join(" ");
    this.near = this.near || {};
    if (!(key in this.near)) this.near[key] = await this.nearest(term, typed, shards);
    return this.near[key];
  };
  Index.prototype.nearest = async function (term, typed, shards) {
    var want = loose(typed), stemmed = loose(term), near = [];
    var max = want.length >= 9 ? 2 : want.length >= 5 ? 1 : 0;
    if (!max) return null;
    for (var shard of shards) {
      var terms = await this.get("t/" + shard + ".json");
      Object.keys(terms).forEach(function (k) {
        var lk = loose(k), d = distance(stemmed, lk, max);
        if (d > 0) d = Math.min(d, withEnding(want, lk, max));
        if (d <= max) near.push([d, k.length, docCount(terms[k]), k]);
      });
    }
    if (!near.length) return null;
    var least = Math.min.apply(null, near.map(function (x) { return x[0]; }));
    near = near.filter(function (x) { return x[0] === least; });
    near = near.filter(function (x) {
      return !near.some(function (o) { return o[3].length >= 4 && o[3] !== x[3] && x[3].startsWith(o[3]); });
    });
    near.sort(function (a, b) { return b[1] - a[1] || b[2] - a[2] || (a[3] < b[3] ? -1 : 1); });
    return near[0][3];
  };

  /** Documents by id: { title, context, url, text, kind }. */
  Index.prototype.docs = async function (ids) {
    var m = await this.manifest();
    return Promise.all(ids.map(async (d) => {
      var row = (await this.get("d/" + Math.floor(d / m.doc_shard) + ".json"))[d % m.doc_shard];
      return { id: d, title: row[0], context: row[1], url: row[2], text: row[3], kind: row[4] };
    }));
  };

  /** `text` as [part, isMatch] pieces; with `window`, only about that many characters
   *  around the first match. */
  function highlight(text, matched, window) {
    var spans = [], r;
    WORD.lastIndex = 0;
    while ((r = WORD.exec(text))) {
      var f = fold(r[0]);
      if (f.length >= 2 && matched.has(stem(f))) spans.push([r.index, r.index + r[0].length]);
    }
    var from = 0, to = text.length;
    if (window) {
      var at = spans.length ? spans[0][0] : 0;
      from = Math.max(0, at - window / 4);
      if (from > 0) from = text.indexOf(" ", from) + 1;
      to = Math.min(text.length, from + window);
      if (to < text.length) to = Math.max(text.lastIndexOf(" ", to), from + 1);
    }
    var parts = [], pos = from;
    spans.forEach(function (s) {
      if (s[0] < from || s[1] > to) return;
      if (s[0] > pos) parts.push([text.slice(pos, s[0]), false]);
      parts.push([text.slice(s[0], s[1]), true]);
      pos = s[1];
    });
    if (pos < to) parts.push([text.slice(pos, to), false]);
    if (from > 0) parts.unshift(["… ", false]);
    if (to < text.length) parts.push([" …", false]);
    return parts;
  }

  /** The first word of `texts` that is index term `term` as written there ("Hjørring"
   *  for "hjoerring"), or the term itself. */
  function spelt(term, texts) {
    for (var t of texts) {
      for (var w of String(t).match(WORD) || []) if (stem(fold(w)) === term) return w;
    }
    return term;
  }

  var api = { fold: fold, stem: stem, syncope: syncope, queryTerms: queryTerms, Index: Index, highlight: highlight,
    facets: facets, spelt: spelt, distance: distance };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document !== "undefined") page(api);

  function page(api) {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var out = document.getElementById("search-results");
    var all = document.getElementById("search-all");
    if (!form || !input || !out || !window.fetch || !window.Map) return;
    var nojs = document.getElementById("search-nojs");
    if (nojs) nojs.hidden = true;
    var FILTERS = ["kreds", "kommune", "aar", "type", "indsats"];
    var indexUrl = new URL(form.getAttribute("data-index"), window.location.href);
    var index = new api.Index(indexUrl.href.replace(/[^/]*$/, ""), function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
    });
    var PAGE = 20, run = 0, timer = null;

    function filters() {
      var f = {};
      FILTERS.forEach(function (n) { if (form.elements[n] && form.elements[n].value) f[n] = form.elements[n].value; });
      return f;
    }
    function shareUrl() {
      var url = new URL(window.location.href);
      url.search = "";
      if (input.value) url.searchParams.set("q", input.value);
      var f = filters();
      FILTERS.forEach(function (n) { if (f[n]) url.searchParams.set(n, f[n]); });
      history.replaceState(null, "", url);
    }
    function marked(parent, parts) {
      parts.forEach(function (p) {
        if (p[1]) { var m = document.createElement("mark"); m.textContent = p[0]; parent.appendChild(m); }
        else parent.appendChild(document.createTextNode(p[0]));
      });
    }
    async function show(ul, hits, matched, from) {
      var docs = await index.docs(hits.slice(from, from + PAGE).map(function (h) { return h[0]; }));
      ul.shownTexts = docs.map(function (d) { return d.title + " " + d.text; });
      docs.forEach(function (d) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = d.url;
        marked(a, api.highlight(d.title, matched));
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " – " + d.context;
        li.appendChild(meta);
        if (d.text) {
          var p = document.createElement("p");
          p.className = "snippet";
          marked(p, api.highlight(d.text, matched, 240));
          li.appendChild(p);
        }
        ul.appendChild(li);
      });
    }
    async function render() {
      var mine = ++run, q = input.value.trim();
      if (!q) { out.textContent = ""; all.hidden = false; return; }
      var res = await index.search(q, filters());
      if (mine !== run) return;
      var h = document.createElement("h2");
      h.textContent = res.hits.length === 1 ? "1 resultat" : res.hits.length + " resultater";
      var ul = document.createElement("ul");
      ul.className = "search-hits";
      await show(ul, res.hits, res.matched, 0);
      if (mine !== run) return;
      out.textContent = "";
      all.hidden = true;
      out.appendChild(h);
      var sel = form.elements.kommune, opt = res.place && sel && sel.querySelector('option[value="' + res.place + '"]');
      if (opt && !sel.value) {
        say("«" + opt.textContent + "» er læst som " + opt.getAttribute("data-full") +
          ": resultaterne omfatter også tekster i kommunens og kredsrådets planer, der ikke nævner navnet.");
      }
      if (res.year && res.hits.length && res.hits[0][2] >= 2 && !filters().aar) {
        say("«" + res.year + "» er læst som året: først tekster i planerne for " + res.year +
          ", også dem der ikke nævner årstallet, så andre tekster, der nævner det.");
      }
      // A word no text has, read as the nearest one some text has: said, with that word.
      if (res.hits.length) res.corrected.forEach(function (c) {
        var typed = (q.normalize("NFC").match(WORD) || [])
          .find(function (w) { return api.stem(api.fold(w)) === c[0]; }) || c[0];
        say("Intet ord i planerne staves «" + typed + "»; viser resultater for «" +
          api.spelt(c[1], ul.shownTexts || []) + "».");
      });
      if (!res.hits.length && res.year) await withoutYear(q, res.year, mine);
      else if (!res.hits.length && Object.keys(filters()).length) await unfiltered(q, mine);
      out.appendChild(ul);
      if (res.hits.length > PAGE) more(ul, res, PAGE);
    }
    function say(text) {
      var note = document.createElement("p");
      note.className = "meta";
      note.textContent = text;
      out.appendChild(note);
    }
    // No results under the filters: say whether there are any without them (a year
    // the kreds has no plan for reads as "they do nothing about it"), with the way there.
    async function unfiltered(q, mine) {
      var n = (await index.search(q, {})).hits.length;
      if (mine !== run || !n) return;
      offer("Ingen resultater med de valgte afgrænsninger; uden dem er der " + n + ". ",
        "Søg uden afgrænsninger", function () {
          FILTERS.forEach(function (f) { if (form.elements[f]) form.elements[f].value = ""; });
        });
    }
    // A note with a button that changes the search and runs it again.
    function offer(text, label, change) {
      var p = document.createElement("p");
      p.textContent = text;
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", function () {
        change();
        update();
        input.focus();
      });
      p.appendChild(b);
      out.appendChild(p);
    }
    // Nothing for the year read from the query: as for the filters, say how many there
    // are without it ("vold i nære relationer 2025": no 2025 plan writes about it).
    async function withoutYear(q, year, mine) {
      var rest = (q.normalize("NFC").match(WORD) || []).filter(function (w) { return w !== year; }).join(" ");
      var n = (await index.search(rest, filters())).hits.length;
      if (mine !== run || !n) return;
      offer("Ingen resultater i planerne for " + year + " eller i tekster, der nævner " + year +
        "; uden årstallet er der " + n + ". ", "Søg uden årstallet", function () { input.value = rest; });
    }
    function more(ul, res, from) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "Vis flere resultater";
      b.addEventListener("click", async function () {
        await show(ul, res.hits, res.matched, from);
        b.remove();
        if (res.hits.length > from + PAGE) more(ul, res, from + PAGE);
      });
      out.appendChild(b);
    }
    function update() {
      shareUrl();
      render().catch(function (e) { out.textContent = "Søgningen kunne ikke hentes (" + e.message + ")."; });
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    FILTERS.forEach(function (n) { if (form.elements[n] && params.get(n)) form.elements[n].value = params.get(n); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
    FILTERS.forEach(function (n) { if (form.elements[n]) form.elements[n].addEventListener("change", update); });
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    render().catch(function () { /* the lists stay visible */ });
  }
})();
