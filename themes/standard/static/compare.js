// "Compare any two": diffs a chosen pair of texts in the browser, in place.
//
// Why in the browser: the site prerenders only consecutive plans' diffs; every pair of
// plans and of issuers' texts would be tens of thousands of pages at national scale. The
// build ships each issuer's texts per indsatsområde as plain blocks (tekster.json, the
// blocks the site's own diff pairs: kind, level, text) and this script diffs them the way
// src/model/diff.rs does and renders them with the classes and screen-reader cues of
// src/render/diff.rs, so a diff here looks like every other diff on the site.
//
// The word and block sequences are diffed with jsdiff's diffArrays (vendor/diff.min.js,
// BSD-3-Clause, the npm package "diff"), over the same whitespace-separated words as
// the Rust side. Not diffWords: it splits punctuation off words, so "bl.a." would be
// marked differently here than on the prerendered pages.
//
// Without JavaScript the pages keep working: the plan page's form leads to the prerendered
// comparison with the previous plan, and both pages list the comparisons that exist.
(function () {
  "use strict";
  var Diff = window.Diff;
  var root = document.querySelector("[data-compare]");
  if (!root || !Diff || !window.fetch || !window.URLSearchParams) return;

  // --- Block pairing: src/model/diff/matching.rs -------------------------------------
  var IN_ORDER = { ratio: 0.4, contained: 0.7 };
  var MOVED = { ratio: 0.5, contained: 0.8 };
  var CONTAINED_MIN_WORDS = 8, WINDOW = 16, MOVE_BUDGET = 2048, SAME_BAG = 0.6, ORDERED_MAX_WORDS = 4000;

  function normWords(text) {
    return splitWords(text).map(function (w) { return w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""); });
  }
  function splitWords(s) { return s.split(/\s+/).filter(Boolean); }

  function bagCommon(a, b) {
    var i = 0, j = 0, n = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else { n++; i++; j++; }
    }
    return n;
  }

  // Walks a diffArrays result as `similar` reports it: equal runs, and changed runs with
  // their old and new ranges (a delete and an insert side by side are one replace).
  function ops(a, b, onEqual, onChange) {
    var changes = Diff.diffArrays(a, b), oi = 0, ni = 0;
    for (var c = 0; c < changes.length; c++) {
      var ch = changes[c];
      if (!ch.added && !ch.removed) {
        onEqual(oi, ni, ch.count);
        oi += ch.count; ni += ch.count;
        continue;
      }
      var os = oi, ns = ni;
      for (; c < changes.length && (changes[c].added || changes[c].removed); c++) {
        if (changes[c].removed) oi += changes[c].count; else ni += changes[c].count;
      }
      c--;
      onChange(os, oi - os, ns, ni - ns);
    }
  }

  function matchBlocks(old, neu) {
    var n2o = neu.map(function () { return -1; });
    var oldPaired = old.map(function () { return false; });
    function pair(o, n) { n2o[n] = o; oldPaired[o] = true; }
    function key(b) { return b.kind + "\u0000" + b.text; }
    var okeys = old.map(key), nkeys = neu.map(key), gaps = [];
    // 1. identical blocks in order
    ops(okeys, nkeys, function (o, n, len) {
      for (var k = 0; k < len; k++) pair(o + k, n + k);
    }, function (o, ol, n, nl) {
      if (ol > 0 && nl > 0) gaps.push([o, o + ol, n, n + nl]);
    });
    var words = [old.map(function (b, o) { return oldPaired[o] ? [] : normWords(b.text); }),
                 neu.map(function (b, n) { return n2o[n] >= 0 ? [] : normWords(b.text); })];
    var sorted = words.map(function (side) { return side.map(function (w) { return w.slice().sort(); }); });
    function judge(o, n, common, min) {
      var a = words[0][o].length, b = words[1][n].length;
      var ratio = 2 * common / Math.max(a + b, 1), short = Math.min(a, b);
      var contained = short >= CONTAINED_MIN_WORDS && common >= min.contained * short;
      return ratio >= min.ratio || contained ? ratio : null;
    }
    function bestMatch(n, candidates, min) {
      var best = -1, bestRatio = -1;
      candidates.forEach(function (o) {
        if (old[o].kind !== neu[n].kind) return;
        var r = judge(o, n, bagCommon(sorted[0][o], sorted[1][n]), min);
        if (r !== null && (best < 0 || r > bestRatio)) { best = o; bestRatio = r; }
      });
      if (best < 0) return -1;
      var a = words[0][best], b = words[1][n];
      if (bestRatio >= SAME_BAG || a.length + b.length > ORDERED_MAX_WORDS) return best;
      var common = 0;
      ops(a, b, function (o, m, len) { common += len; }, function () {});
      return judge(best, n, common, min) !== null ? best : -1;
    }
    // 2. similar blocks in order, between the anchors
    gaps.forEach(function (g) {
      var from = g[0];
      for (var n = g[2]; n < g[3]; n++) {
        var cands = [];
        for (var o = from; o < g[1] && cands.length < WINDOW; o++) if (!oldPaired[o]) cands.push(o);
        var o2 = bestMatch(n, cands, IN_ORDER);
        if (o2 >= 0) { pair(o2, n); from = o2 + 1; }
      }
    });
    // 3. identical blocks anywhere, then similar ones within a budget
    var byKey = {};
    for (var o = old.length - 1; o >= 0; o--) {
      if (!oldPaired[o]) (byKey[okeys[o]] = byKey[okeys[o]] || []).push(o);
    }
    neu.forEach(function (b, n) {
      var stack = byKey[nkeys[n]];
      if (n2o[n] < 0 && stack && stack.length) pair(stack.pop(), n);
    });
    var budget = MOVE_BUDGET;
    for (var n = 0; n < neu.length && budget > 0; n++) {
      if (n2o[n] >= 0) continue;
      var unpaired = [];
      for (var u = 0; u < old.length && unpaired.length < budget; u++) if (!oldPaired[u]) unpaired.push(u);
      budget -= unpaired.length;
      var m = bestMatch(n, unpaired, MOVED);
      if (m >= 0) pair(m, n);
    }
    // 4. pairs in the old order: a longest increasing run of old indices; the rest moved
    var seq = n2o.filter(function (o) { return o >= 0; });
    var kept = lis(seq), inPlace = n2o.map(function (o) { return o >= 0 && kept[o] === true; });
    return { n2o: n2o, inPlace: inPlace };
  }

  // Longest increasing subsequence of distinct numbers: { value: true } for its members.
  function lis(seq) {
    var tails = [], prev = [], at = [];
    seq.forEach(function (v, i) {
      var lo = 0, hi = tails.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (seq[tails[mid]] < v) lo = mid + 1; else hi = mid; }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    });
    for (var k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) at[seq[k]] = true;
    return at;
  }

  // --- Block and word diff: src/model/diff.rs ---------------------------------------
  function wordCount(s) { return splitWords(s).length; }

  function diffBlocks(old, neu) {
    var m = matchBlocks(old, neu);
    var oldPaired = old.map(function () { return false; });
    m.n2o.forEach(function (o) { if (o >= 0) oldPaired[o] = true; });
    var anchor = [];
    anchor[neu.length] = old.length;
    for (var n = neu.length - 1; n >= 0; n--) anchor[n] = m.inPlace[n] ? m.n2o[n] : anchor[n + 1];
    var d = { blocks: [], added: 0, removed: 0, unchanged: 0, moved: 0, newHeadings: [], goneHeadings: [] };
    var nextOld = 0;
    function removedUpTo(end) {
      for (var o = nextOld; o < end; o++) if (!oldPaired[o]) whole(old[o], "removed");
      nextOld = Math.max(nextOld, end);
    }
    function whole(b, change) {
      var words = wordCount(b.text), added = change === "added";
      if (added) d.added += words; else d.removed += words;
      if (b.kind === "heading") (added ? d.newHeadings : d.goneHeadings).push(b.text);
      d.blocks.push({ kind: b.kind, level: b.level, change: change,
                      segments: [{ kind: added ? "insert" : "delete", text: b.text }] });
    }
    neu.forEach(function (b, n) {
      removedUpTo(anchor[n]);
      var o = m.n2o[n];
      if (o < 0) { whole(b, "added"); return; }
      var w = wordDiff(old[o].text, b.text);
      d.added += w.added; d.removed += w.removed; d.unchanged += w.unchanged;
      if (!m.inPlace[n]) d.moved++;
      d.blocks.push({ kind: b.kind, level: b.level, change: m.inPlace[n] ? "kept" : "moved", segments: w.segments });
    });
    removedUpTo(old.length);
    // decided before the re-cut takes unpaired paragraphs in (diff.rs)
    var unpaired = d.blocks.some(function (b) { return b.change === "added" || b.change === "removed"; });
    recutParagraphs(d);
    fewerChangesAsOneText(d, old, neu, unpaired);
    return d;
  }

  // A block's words on one side, single spaced (BlockDiff::new_text / old_text).
  function sideText(b, without) {
    return splitWords(b.segments.filter(function (s) { return s.kind !== without; })
      .map(function (s) { return s.text; }).join("")).join(" ");
  }

  // Paragraphs cut differently from one year to the next, diffed together with the
  // paired paragraph beside them (recut_paragraphs in diff.rs).
  function recutParagraphs(d) {
    var i = 0;
    function paired(x) { return x.change === "kept" || x.change === "moved"; }
    function lone(x) { return x.change === "added" || x.change === "removed"; }
    while (i + 1 < d.blocks.length) {
      var a = d.blocks[i], b = d.blocks[i + 1];
      var loneFirst = lone(a) && paired(b);
      if (!(loneFirst || paired(a) && lone(b)) || a.kind !== "paragraph" || b.kind !== "paragraph") { i++; continue; }
      var single = loneFirst ? a : b, pair = loneFirst ? b : a;
      var oldPair = sideText(pair, "insert"), newPair = sideText(pair, "delete");
      var before = wordDiff(oldPair, newPair);
      var removed = single.change === "removed";
      var singleText = removed ? sideText(single, "insert") : sideText(single, "delete");
      var singleWords = wordCount(singleText);
      var w = removed
        ? wordDiff(loneFirst ? singleText + " " + oldPair : oldPair + " " + singleText, newPair)
        : wordDiff(oldPair, loneFirst ? singleText + "\n\n" + newPair : newPair + "\n\n" + singleText);
      var better = w.added + w.removed < singleWords + before.added + before.removed;
      if (!better || w.unchanged < before.unchanged + Math.floor(singleWords / 2)) { i++; continue; }
      d.added = Math.max(0, d.added - before.added - (removed ? 0 : singleWords));
      d.removed = Math.max(0, d.removed - before.removed - (removed ? singleWords : 0));
      d.unchanged = Math.max(0, d.unchanged - before.unchanged);
      d.added += w.added; d.removed += w.removed; d.unchanged += w.unchanged;
      var block = function (segments) { return { kind: pair.kind, level: pair.level, change: pair.change, segments: segments }; };
      if (removed) d.blocks.splice(i, 2, block(w.segments));
      else {
        var parts = splitAtParagraphBreak(w.segments);
        d.blocks.splice(i, 2, block(parts[0]), block(parts[1]));
        i++;
      }
    }
  }

  // A word diff's runs split where the new side's paragraph break is (diff.rs).
  function splitAtParagraphBreak(segments) {
    var first = [], second = [], past = false, atBreak = false;
    segments.forEach(function (s) {
      var at = !past && s.kind !== "delete" ? s.text.indexOf("\n\n") : -1;
      if (at >= 0) {
        var head = s.text.slice(0, at), tail = s.text.slice(at).replace(/^\s+/, "");
        if (head.trim()) first.push({ kind: s.kind, text: head.replace(/\s+$/, "") });
        if (tail) second.push({ kind: s.kind, text: tail });
        past = true;
        atBreak = !tail; // words removed right at the break end the first paragraph
      } else if (atBreak && s.kind === "delete") first.push(s);
      else if (past) { atBreak = false; second.push(s); }
      else first.push(s);
    });
    return [first, second];
  }

  // The counts of the two texts as one run of words each, when that finds fewer changes
  // than block by block: paragraphs joined or split differently change no word
  // (fewer_changes_as_one_text in diff.rs).
  function fewerChangesAsOneText(d, old, neu, unpaired) {
    var changed = d.added + d.removed;
    if (changed === 0 || !unpaired) return;
    function joined(blocks) { return blocks.map(function (b) { return b.text; }).join(" "); }
    var a = tokenize(joined(old)).words, b = tokenize(joined(neu)).words;
    // The words both have in any order bound those they have in order (diff.rs).
    var counts = new Map(), shared = 0;
    a.forEach(function (w) { counts.set(w, (counts.get(w) || 0) + 1); });
    b.forEach(function (w) { var c = counts.get(w) || 0; if (c > 0) { shared++; counts.set(w, c - 1); } });
    if (a.length + b.length - 2 * shared >= changed) return;
    var common = commonWords(a, b);
    if (common < 0) return;
    var added = b.length - common, removed = a.length - common;
    if (added + removed < changed) { d.added = added; d.removed = removed; d.unchanged = common; }
  }

  // The length of the longest common subsequence of two word lists (common_words in
  // diff.rs: one number however a diff aligns it); -1 over the same size limit.
  function commonWords(a, b) {
    if (a.length * b.length > 16000000) return -1;
    var row = new Int32Array(b.length + 1);
    for (var i = 0; i < a.length; i++) {
      var diagonal = 0;
      for (var j = 0; j < b.length; j++) {
        var above = row[j + 1];
        row[j + 1] = a[i] === b[j] ? diagonal + 1 : Math.max(above, row[j]);
        diagonal = above;
      }
    }
    return row[b.length];
  }

  // A text as words, each word's span running to the next word (see Tokenized in diff.rs).
  function tokenize(text) {
    var words = [], offsets = [], re = /\S+/g, mt;
    while ((mt = re.exec(text))) { words.push(mt[0]); offsets.push(mt.index); }
    if (offsets.length) offsets[0] = 0;
    offsets.push(text.length);
    return { words: words, run: function (from, len) { return text.slice(offsets[from], offsets[from + len]); } };
  }

  function splitTrailingSpace(s) {
    var end = s.replace(/\s+$/, "").length;
    return [s.slice(0, end), s.slice(end)];
  }

  function wordDiff(old, neu) {
    var d = { segments: [], added: 0, removed: 0, unchanged: 0 };
    if (old === neu) {
      if (old) { d.unchanged = wordCount(old); d.segments.push({ kind: "equal", text: old }); }
      return d;
    }
    var a = tokenize(old), b = tokenize(neu);
    function push(kind, text, words) {
      if (!text) return;
      if (kind === "equal") d.unchanged += words; else if (kind === "insert") d.added += words; else d.removed += words;
      var last = d.segments[d.segments.length - 1];
      if (last && last.kind === kind) last.text += text;
      // words deleted after the new text's last word: a space leads them
      else if (last && kind === "delete" && !/\s$/.test(last.text) && !/^\s/.test(text)) d.segments.push({ kind: kind, text: " " + text });
      else d.segments.push({ kind: kind, text: text });
    }
    function pushChange(kind, text, words) {
      var parts = splitTrailingSpace(text);
      push(kind, parts[0], words);
      push("equal", parts[1], 0);
    }
    ops(a.words, b.words, function (o, n, len) {
      push("equal", b.run(n, len), len);
    }, function (o, ol, n, nl) {
      if (ol && nl) {
        push("delete", splitTrailingSpace(a.run(o, ol))[0], ol);
        pushChange("insert", b.run(n, nl), nl);
      } else if (ol) pushChange("delete", a.run(o, ol), ol);
      else pushChange("insert", b.run(n, nl), nl);
    });
    return d;
  }

  function changedShare(d) {
    var total = d.added + d.removed + 2 * d.unchanged;
    return total ? (d.added + d.removed) / total : 0;
  }

  // --- The reader's count of changed words: src/model/diff/reading.rs -----------------
  // Words in another order, another case, accent or punctuation, and a year that moved
  // with the plan are no change to a reader: within each paragraph the diff paired, the
  // deleted words are matched against the inserted ones as a bag, after folding those
  // differences away, when that finds most of them again (a sentence reworded, not one
  // replaced by another that shares only small words).
  var ACCENTS = { "á": "a", "à": "a", "â": "a", "é": "e", "è": "e", "ê": "e", "ë": "e", "í": "i", "ì": "i",
    "î": "i", "ï": "i", "ó": "o", "ò": "o", "ô": "o", "ú": "u", "ù": "u", "û": "u", "ü": "u", "ý": "y" };

  function fold(w) {
    var t = w.replace(/^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu, "");
    return (t || w).toLowerCase().replace(/[áàâéèêëíìîïóòôúùûüý]/g, function (c) { return ACCENTS[c]; });
  }

  function isYear(w) { return /^[0-9]{4}$/.test(w) && +w >= 1900 && +w < 2200; }

  function paragraphCounts(segments, paired, shift) {
    var bag = new Map(), p = { equal: 0, deleted: 0, inserted: 0, matched: 0 };
    segments.forEach(function (s) {
      var ws = splitWords(s.text);
      if (s.kind === "equal") { p.equal += ws.length; return; }
      ws.forEach(function (w) {
        var k = fold(w), c = bag.get(k) || [0, 0];
        if (s.kind === "delete") { c[0]++; p.deleted++; } else { c[1]++; p.inserted++; }
        bag.set(k, c);
      });
    });
    if (!paired) return p;
    var matched = 0;
    bag.forEach(function (c) { var m = Math.min(c[0], c[1]); matched += m; c[0] -= m; c[1] -= m; });
    if (shift) {
      bag.forEach(function (c, k) {
        if (!c[0] || !isYear(k)) return;
        var later = bag.get(String(+k + shift));
        if (!later) return;
        var m = Math.min(c[0], later[1]);
        later[1] -= m; matched += m;
      });
    }
    if (2 * matched >= Math.min(p.deleted, p.inserted)) p.matched = matched;
    return p;
  }

  function readingShare(d, shift) {
    var paras = d.segments ? [[d.segments, true]] : [];
    (d.blocks || []).forEach(function (b) { paras.push([b.segments, b.change === "kept" || b.change === "moved"]); });
    var t = { equal: 0, deleted: 0, inserted: 0, matched: 0 };
    paras.forEach(function (x) {
      var p = paragraphCounts(x[0], x[1], shift);
      Object.keys(t).forEach(function (k) { t[k] += p[k]; });
    });
    var total = t.deleted + t.inserted + 2 * t.equal;
    var share = total ? (t.deleted + t.inserted - 2 * t.matched) / total : 0;
    // The diff may have counted its words as one text, finding fewer changes: it stands.
    return Math.min(share, changedShare(d));
  }

  // The reader's share when the diff's count is past the 10 % rule (it bounds the
  // reader's), else undefined: the status is "ændret" when this is past it too.
  function readShare(d, shift) {
    return changedShare(d) > CONTINUED_MAX_CHANGE ? readingShare(d, shift) : undefined;
  }

  // Why a text the counts show as over 10 % changed is videreført (macros.html, diff_counts).
  function readNote(share) {
    var tenths = Math.round(share * 1000);
    return " Videreført, fordi kun " + Math.floor(tenths / 10) + "," + (tenths % 10) +
      " % af ordene er ændret, når ord, der blot har byttet plads eller fået anden stavning, og årstal, der følger planens år, ikke tælles med (grænsen er 10 %).";
  }

  // --- HTML: src/render/diff.rs -------------------------------------------------------
  var FOLD_OVER_WORDS = 40, FOLD_CONTEXT_WORDS = 12;

  function esc(s) {
    return s.replace(/[&<>"'\n]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\n": "<br>" }[c];
    });
  }
  function text(s) { return s.split("\t").map(esc).join('<span class="diff-sep"> | </span>'); }

  // Runs of same and changed text, short unchanged runs between changes folded into them.
  function runs(segments) {
    var out = [];
    function pushChange(old, neu) {
      var ow = wordCount(old), nw = wordCount(neu);
      for (;;) {
        var l = out.length, top = out[l - 1], below = out[l - 2];
        if (!(top && below && top.same !== undefined && below.same === undefined &&
              top.same.indexOf("\n\n") < 0 && top.words <= Math.max(below.ow, below.nw) && top.words <= Math.max(ow, nw))) break;
        out.length = l - 2;
        var o = below.old, n = below.neu;
        o += o ? top.same : top.same.replace(/^\s+/, "");
        n += n ? top.same : top.same.replace(/^\s+/, "");
        ow = below.ow + top.words + ow; nw = below.nw + top.words + nw;
        old = o + old; neu = n + neu;
      }
      out.push({ old: old, neu: neu, ow: ow, nw: nw });
    }
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if (s.kind === "equal") {
        var last = out[out.length - 1];
        if (last && last.same !== undefined) { last.same += s.text; last.words += wordCount(s.text); }
        else out.push({ same: s.text, words: wordCount(s.text) });
        continue;
      }
      var old = "", neu = "";
      for (; i < segments.length && segments[i].kind !== "equal"; i++) {
        if (segments[i].kind === "delete") old += segments[i].text; else neu += segments[i].text;
      }
      i--;
      pushChange(old, neu);
    }
    return out;
  }

  function changeHtml(old, neu) {
    var trimmed = old.replace(/^\s+/, ""), h = text(old.slice(0, old.length - trimmed.length));
    if (trimmed) h += '<del><span class="visually-hidden">[slettet: </span>' + text(trimmed) + '<span class="visually-hidden">]</span></del>';
    if (neu) h += '<ins><span class="visually-hidden">[tilføjet: </span>' + text(neu) + '<span class="visually-hidden">]</span></ins>';
    return h;
  }

  function foldedHtml(same, first, last) {
    if (wordCount(same) <= FOLD_OVER_WORDS) return text(same);
    var words = same.split(" ");
    var head = first ? 0 : FOLD_CONTEXT_WORDS, tail = last ? 0 : FOLD_CONTEXT_WORDS;
    var h = words.slice(0, Math.min(head, words.length)), rest = words.slice(h.length);
    var cut = Math.max(rest.length - tail, 0), mid = rest.slice(0, cut), t = rest.slice(cut);
    var out = text(h.join(" ")) + (h.length ? " " : "");
    out += '<details class="fold"><summary>… ' + wordCount(mid.join(" ")) + " uændrede ord …</summary>" + text(mid.join(" ")) + "</details>";
    return out + (t.length ? " " : "") + text(t.join(" "));
  }

  function runsHtml(segments, fold) {
    var rs = runs(segments);
    return rs.map(function (r, i) {
      if (r.same === undefined) return changeHtml(r.old, r.neu);
      return fold ? foldedHtml(r.same, i === 0, i + 1 === rs.length) : text(r.same);
    }).join("");
  }

  var KIND_CLASS = { heading: "diff-heading", paragraph: "diff-para", item: "diff-item", row: "diff-row", code: "diff-code" };
  var CHANGE_CLASS = { kept: "", moved: " diff-moved", added: " diff-added", removed: " diff-removed" };

  function diffHtml(d) {
    return '<div class="diff">' + d.blocks.map(function (b) {
      var kind = b.kind === "item" && b.level > 1 ? "diff-item diff-nested" : KIND_CLASS[b.kind] || "diff-para";
      var h = '<div class="' + kind + CHANGE_CLASS[b.change] + '">';
      var whole = b.segments.map(function (s) { return s.text; }).join("");
      if (b.change === "added") h += changeHtml("", whole);
      else if (b.change === "removed") h += changeHtml(whole, "");
      else if (b.change === "moved") h += '<span class="diff-label">flyttet</span> ' + runsHtml(b.segments, false);
      else h += runsHtml(b.segments, b.kind !== "heading");
      return h + "</div>";
    }).join("") + "</div>";
  }

  function countsText(d) {
    return d.added + " ord tilføjet, " + d.removed + " ord slettet, " + d.unchanged + " ord uændret" +
      (d.moved > 0 ? ", " + d.moved + " afsnit flyttet" : "") + ".";
  }

  function sectionsHtml(d) {
    if (!d.newHeadings.length && !d.goneHeadings.length) return "";
    var h = '<ul class="meta-list diff-sections">';
    if (d.newHeadings.length) h += "<li>Nye afsnit: " + d.newHeadings.map(esc).join("; ") + "</li>";
    if (d.goneHeadings.length) h += "<li>Udgåede afsnit: " + d.goneHeadings.map(esc).join("; ") + "</li>";
    return h + "</ul>";
  }

  // --- The pages ---------------------------------------------------------------------
  var form = root.querySelector("form");
  var result = root.querySelector(".compare-result");
  var status = root.querySelector(".compare-status");
  var cache = {};

  function getJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return cache[url];
  }

  function say(msg) { status.textContent = msg; }

  function failed() {
    result.textContent = "";
    say("Sammenligningen kunne ikke hentes. Prøv igen, eller brug sammenligningerne herover.");
  }

  function blocksOf(texts, key) {
    var plan = (texts.plans || []).filter(function (p) { return p.key === key; })[0];
    return plan ? plan.blocks : null;
  }

  // Statuses computed from the two texts alone: mergers and splits need the plans' structure
  // and are shown only on the prerendered comparisons of consecutive plans.
  // A plan that names an indsatsområde only as a sub-area of another (index "named") has
  // no text of its own for it, but it is not absent: "udskilt" when the newer plan gives
  // it a section of its own, "kun nævnt" when the newer plan only names it.
  var STATUS = {
    ny: { label: "ny", order: 0 }, udskilt: { label: "udskilt", order: 1 },
    aendret: { label: "ændret", order: 2 }, viderefoert: { label: "videreført", order: 3 },
    naevnt: { label: "kun nævnt", order: 4 }, udgaaet: { label: "udgået", order: 5 }
  };
  var CONTINUED_MAX_CHANGE = 0.10;

  var ONLY_IN = {
    ny: function (n) { return "Kun med i " + n; },
    udgaaet: function (n, o) { return "Kun med i " + o; },
    udskilt: function (n, o) { return "Nævnt som delområde uden eget afsnit i " + o + "; med eget afsnit i " + n; },
    naevnt: function (n, o) { return "Med eget afsnit i " + o + "; kun nævnt som delområde i " + n; }
  };

  function statusHtml(cls) { return '<span class="status st-' + cls + '">' + STATUS[cls].label + "</span>"; }

  function comparePlans(index, newer, older) {
    var wanted = index.indsatser.filter(function (x) {
      return x.plans.indexOf(newer.key) >= 0 || x.plans.indexOf(older.key) >= 0;
    });
    return Promise.all(wanted.map(function (x) { return getJson(x.texts); })).then(function (all) {
      var entries = wanted.map(function (x, k) {
        var nb = blocksOf(all[k], newer.key), ob = blocksOf(all[k], older.key), e = { ind: x };
        if (nb && ob) {
          e.diff = diffBlocks(ob, nb);
          e.read = readShare(e.diff, firstYear(newer.key) - firstYear(older.key));
          e.status = e.read > CONTINUED_MAX_CHANGE ? "aendret" : "viderefoert";
        } else {
          var named = x.named || [];
          if (nb) e.status = named.indexOf(older.key) >= 0 ? "udskilt" : "ny";
          else e.status = named.indexOf(newer.key) >= 0 ? "naevnt" : "udgaaet";
        }
        return e;
      });
      entries.sort(function (a, b) {
        return STATUS[a.status].order - STATUS[b.status].order || a.ind.title.localeCompare(b.ind.title, "da");
      });
      var counts = {};
      entries.forEach(function (e) { counts[e.status] = (counts[e.status] || 0) + 1; });
      var h = '<h3 id="sammenligning-titel" tabindex="-1">' + esc(newer.title) + " sammenlignet med " + esc(older.title) + "</h3>";
      h += "<p>Statusserne er beregnet ud fra de to tekster alene; sammenlægninger og udskillelser ses på sammenligningerne af planer, der følger efter hinanden.</p>";
      if (!entries.length) h += "<p>Ingen af planerne har indsatsområder knyttet til sig.</p>";
      entries.forEach(function (e) {
        h += '<article class="entry"><h4><a href="' + esc(e.ind.url) + '">' + esc(e.ind.title) + "</a> " + statusHtml(e.status) + "</h4>";
        if (e.diff) {
          var identical = e.diff.added === 0 && e.diff.removed === 0 && e.diff.moved === 0;
          var note = e.status === "viderefoert" && e.read !== undefined ? readNote(e.read) : "";
          h += '<p class="diff-summary">' + (identical ? "Teksten er uændret." : countsText(e.diff) + note) + "</p>" + sectionsHtml(e.diff);
          if (!identical) h += '<details class="diff-box"><summary>Vis ændringer i teksten</summary>' + diffHtml(e.diff) + "</details>";
        } else {
          h += "<p>" + ONLY_IN[e.status](esc(newer.title), esc(older.title)) + ".</p>";
        }
        h += "</article>";
      });
      result.innerHTML = h;
      var summary = Object.keys(STATUS).filter(function (s) { return counts[s]; })
        .map(function (s) { return counts[s] + " " + STATUS[s].label; }).join(", ");
      say("Viser " + newer.title + " sammenlignet med " + older.title + (summary ? ": " + summary + "." : "."));
    });
  }

  function setUrl(params) {
    var url = new URL(window.location.href);
    url.search = new URLSearchParams(params).toString();
    url.hash = "";
    history.replaceState(null, "", url);
  }

  // The first year of a plan key ("2025", "2025-2026"): the older text is always the
  // one compared from, whichever was picked first, so that "nye afsnit" and "udgået"
  // read forward in time.
  function firstYear(key) { return parseInt(key, 10) || 0; }

  function planPage() {
    var select = form.querySelector("select[name=sammenlign]");
    var newer = { key: root.getAttribute("data-key"), title: root.getAttribute("data-title") };
    function run(key, fromUrl) {
      var opt = [].filter.call(select.options, function (o) { return o.value === key; })[0];
      if (!opt) return;
      select.value = key;
      var picked = { key: key, title: opt.getAttribute("data-title") || opt.textContent };
      var later = firstYear(picked.key) > firstYear(newer.key);
      say("Henter teksterne …");
      getJson(root.getAttribute("data-index"))
        .then(function (index) {
          return later ? comparePlans(index, picked, newer) : comparePlans(index, newer, picked);
        })
        .then(function () {
          if (fromUrl) root.scrollIntoView();
        })
        .catch(failed);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      setUrl({ sammenlign: select.value });
      run(select.value, false);
    });
    var key = new URLSearchParams(window.location.search).get("sammenlign");
    if (key) run(key, true);
  }

  function indsatsPage() {
    var sides = ["a", "b"].map(function (name) {
      return { name: name, issuer: form.querySelector("select[name=" + name + "]"),
               plan: form.querySelector("select[name=" + name + "-plan]") };
    });
    function fillPlans(side, wanted) {
      var opt = side.issuer.options[side.issuer.selectedIndex];
      var keys = (opt.getAttribute("data-plans") || "").split(" ").filter(Boolean);
      side.plan.textContent = "";
      keys.forEach(function (k) {
        var o = document.createElement("option");
        o.value = k; o.textContent = k;
        side.plan.appendChild(o);
      });
      side.plan.value = keys.indexOf(wanted) >= 0 ? wanted : keys[keys.length - 1];
    }
    sides.forEach(function (side) {
      side.issuer.addEventListener("change", function () { fillPlans(side, side.plan.value); });
    });
    function chosen(side) {
      var opt = side.issuer.options[side.issuer.selectedIndex];
      return { value: side.issuer.value, name: opt.textContent, key: side.plan.value,
               texts: root.getAttribute("data-base") + opt.getAttribute("data-path") + "tekster.json" };
    }
    function run(fromUrl) {
      var a = chosen(sides[0]), b = chosen(sides[1]);
      if (firstYear(a.key) > firstYear(b.key)) { var t0 = a; a = b; b = t0; }
      say("Henter teksterne …");
      Promise.all([getJson(a.texts), getJson(b.texts)]).then(function (t) {
        var ob = blocksOf(t[0], a.key), nb = blocksOf(t[1], b.key);
        if (!ob || !nb) { failed(); return; }
        var d = diffBlocks(ob, nb);
        var label = function (x, texts) {
          var plan = texts.plans.filter(function (p) { return p.key === x.key; })[0];
          return { text: x.name + ", " + plan.title, url: plan.url };
        };
        var la = label(a, t[0]), lb = label(b, t[1]);
        var identical = d.added === 0 && d.removed === 0 && d.moved === 0;
        var h = '<h3 id="sammenligning-titel" tabindex="-1">' + esc(la.text) + " sammenlignet med " + esc(lb.text) + "</h3>";
        h += '<p>Slettet: kun i <a href="' + esc(la.url) + '">' + esc(la.text) + '</a>. Tilføjet: kun i <a href="' + esc(lb.url) + '">' + esc(lb.text) + "</a>.</p>";
        h += '<p class="diff-summary">' + (identical ? "Teksterne er ens." : countsText(d)) + "</p>" + sectionsHtml(d);
        if (!identical) h += diffHtml(d);
        result.innerHTML = h;
        say("Viser " + la.text + " sammenlignet med " + lb.text + ": " + (identical ? "teksterne er ens." : countsText(d)));
        if (fromUrl) root.scrollIntoView();
      }).catch(failed);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var a = chosen(sides[0]), b = chosen(sides[1]);
      setUrl({ a: a.value + "." + a.key, b: b.value + "." + b.key });
      run(false);
    });
    // Shared URLs: ?a=kommune.hjoerring.2025&b=… (or the form's own fields, a and a-plan)
    var q = new URLSearchParams(window.location.search), any = false;
    sides.forEach(function (side) {
      var v = q.get(side.name);
      if (!v) return;
      var parts = v.split("."), issuer = parts.slice(0, 2).join("."), key = parts[2] || q.get(side.name + "-plan");
      if (![].some.call(side.issuer.options, function (o) { return o.value === issuer; })) return;
      side.issuer.value = issuer;
      fillPlans(side, key);
      any = true;
    });
    sides.forEach(function (side) { if (!side.plan.options.length) fillPlans(side, null); });
    if (any) run(true);
  }

  // Only with this script do the forms render in place; the no-script notes give way.
  [].forEach.call(root.querySelectorAll(".compare-nojs"), function (el) { el.hidden = true; });
  form.hidden = false;
  if (root.getAttribute("data-compare") === "plan") planPage();
  else indsatsPage();
})();
