// The site search: a search button in every page's header, and on the 站内搜索 page a search
// box over the section index search/ipw-index.js (built by site/ipwatch/sitesearch.py, loaded
// with a <script> element, so it works from file:// and under any sub-path).
// The query is parsed and the sections ranked exactly as the staff search does it:
// norm/stem/segment/parseQuery mirror kb/guides/search_text.py, rank mirrors kb/guides/ranking.py
// (tests/test_search_parity.py compares them). ?q=… searches at once.
(function () {
  "use strict";
  var me = document.querySelector("script[src$='ipw-search.js']").src;
  var root = new URL("../", me);
  headerButton(new URL("search.html", root));
  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var PIECES = new RegExp("([" + CJK + "]+)|((?:(?![" + CJK + "])[\\p{L}\\p{N}])+)", "gu");
  var CJK_RUN = new RegExp("^[" + CJK + "]+$");
  var HANGUL = /[\uac00-\ud7af]/;
  var DEBOUNCE_MS = 120;
  var LIMIT = 20;
  var EXPANSION_BOOST = 0.5;

  // A magnifier in the header of every page, leading to the search page (Material shows its
  // own only with its search plugin, which the site does not use).
  function headerButton(target) {
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var link = document.createElement("a");
    link.className = "md-header__button md-icon ipw-search-button";
    link.href = target.href;
    link.title = link.ariaLabel = "站内搜索";
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5");
    svg.appendChild(path);
    link.appendChild(svg);
    header.insertBefore(link, header.querySelector(".md-header__source, label[for='__palette']"));
  }

  // --- the analyzer (kb/guides/search_text.py) ------------------------------------------------

  function norm(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLowerCase();
  }

  function isAsciiAlpha(word) { return /^[a-z]+$/i.test(word); }

  function stem(word) {
    if (!isAsciiAlpha(word) || word.length <= 3) return word;
    if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
    else if (word.endsWith("sses")) word = word.slice(0, -2);
    else if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    if (word.endsWith("ing") && word.length >= 7) word = word.slice(0, -3);
    else if (word.endsWith("ed") && word.length >= 6) word = word.slice(0, -2);
    return word;
  }

  function wordsOf(text) {
    return Array.from(text.matchAll(PIECES), function (m) { return m[0]; });
  }

  function isCjk(word) { return CJK_RUN.test(word); }

  function Vocabulary(data) {
    var self = this;
    this.jurisdictions = data.jurisdictions;
    this.words = new Set(data.words);
    this.single = new Set(data.single);
    this.stop = new Set(data.stop);
    this.groups = data.groups;
    this.seeAlso = data.seeAlso;
    this.maxWord = data.maxWord;
    this.memberGroups = new Map();
    data.groups.forEach(function (group, number) {
      group.forEach(function (member) {
        if (!self.memberGroups.has(member)) self.memberGroups.set(member, []);
        self.memberGroups.get(member).push(number);
      });
    });
    this.phrases = new Map();
    this.longest = 1;
    data.phrases.forEach(function (phrase) {
      var words = wordsOf(phrase);
      self.phrases.set(words.join("\u0001"), phrase);
      self.longest = Math.max(self.longest, words.length);
    });
  }

  function segment(run, known, vocab) {
    var n = run.length;
    var best = [{ cost: 0, words: [] }];
    for (var k = 1; k <= n; k++) best.push({ cost: Infinity, words: [] });
    for (var i = 0; i < n; i++) {
      var cost = best[i].cost, words = best[i].words;
      for (var j = Math.min(n, i + vocab.maxWord); j > i; j--) {
        var word = run.slice(i, j), step;
        if (word.length === 1) step = vocab.single.has(word) ? -1 : 1;
        else if (vocab.words.has(word) || word in vocab.jurisdictions) step = -word.length;
        else if (known(word)) step = -1;
        else continue;
        if (cost + step < best[j].cost) best[j] = { cost: cost + step, words: words.concat([word]) };
      }
    }
    return joinUnknown(best[n].words, vocab);
  }

  function joinUnknown(words, vocab) {
    var out = [], loose = "";
    words.concat([""]).forEach(function (word) {
      if (word.length === 1 && !vocab.single.has(word)) { loose += word; return; }
      if (loose.length > 1) out.push(loose);
      loose = "";
      if (word) out.push(word);
    });
    return out;
  }

  function phrases(words, vocab) {
    var out = [], i = 0;
    while (i < words.length) {
      var found = false;
      for (var size = Math.min(vocab.longest, words.length - i); size > 1; size--) {
        var phrase = vocab.phrases.get(words.slice(i, i + size).join("\u0001"));
        if (phrase) { out.push(phrase); i += size; found = true; break; }
      }
      if (!found) { out.push(words[i]); i += 1; }
    }
    return out;
  }

  function queryPieces(text, known, vocab) {
    var out = [], latin = [];
    for (var m of text.matchAll(PIECES)) {
      if (m[1]) {
        out = out.concat(phrases(latin, vocab));
        latin = [];
        out = out.concat(segment(m[1], known, vocab));
      } else {
        latin.push(m[2]);
      }
    }
    return out.concat(phrases(latin, vocab));
  }

  function termList(word, vocab) {
    if (isCjk(word)) return (word.length > 1 || vocab.single.has(word)) ? [word] : [];
    return wordsOf(word).filter(function (w) {
      return !vocab.stop.has(w) && !vocab.stop.has(stem(w));
    }).map(stem);
  }

  function concept(word, vocab) {
    if (word in vocab.jurisdictions) return { label: word, alts: [], jurisdiction: vocab.jurisdictions[word] };
    var typed = termList(word, vocab);
    if (!typed.length) return null;
    var members = [];
    (vocab.memberGroups.get(word) || []).forEach(function (g) { members = members.concat(vocab.groups[g]); });
    members = members.concat(vocab.seeAlso[word] || []);
    var alts = [typed], seen = new Set([typed.join("\u0001")]);
    members.forEach(function (member) {
      var terms = termList(member, vocab), key = terms.join("\u0001");
      if (terms.length && !seen.has(key)) { seen.add(key); alts.push(terms); }
    });
    return { label: word, alts: alts, jurisdiction: "" };
  }

  function parseQuery(text, known, vocab) {
    var concepts = [], seen = new Set();
    queryPieces(norm(text), known, vocab).forEach(function (word) {
      if (vocab.stop.has(word) || seen.has(word)) return;
      var c = concept(word, vocab);
      if (c) { seen.add(word); concepts.push(c); }
    });
    return concepts;
  }

  // --- ranking (kb/guides/ranking.py) ------------------------------------------------------------

  function Engine(index) {
    this.index = index;
    this.vocab = new Vocabulary(index.analyzer);
    this.docCount = index.docs.length;
    var title = index.title, body = index.body;
    this.known = function (w) { return title.hasOwnProperty(w) || body.hasOwnProperty(w); };
  }

  Engine.prototype.termDocs = function (term) {
    var docs = new Set();
    [this.index.title[term], this.index.body[term]].forEach(function (list) {
      if (!list) return;
      for (var i = 0; i < list.length; i += 2) docs.add(list[i]);
    });
    return docs;
  };

  Engine.prototype.coverage = function (c) {
    var self = this, found = new Set(), exact = new Set(), terms = new Map();
    if (c.jurisdiction) {
      this.index.docs.forEach(function (d, n) { if (d[2] === c.jurisdiction) found.add(n); });
      return { docs: found, exact: found, terms: terms };
    }
    c.alts.forEach(function (alt, number) {
      var sets = alt.map(function (t) { return self.termDocs(t); });
      sets.sort(function (a, b) { return a.size - b.size; });
      var docs = new Set(Array.from(sets[0]).filter(function (d) {
        return sets.every(function (s) { return s.has(d); });
      }));
      if (number === 0) exact = docs;
      docs.forEach(function (d) { if (!found.has(d)) { terms.set(d, alt); found.add(d); } });
    });
    return { docs: found, exact: exact, terms: terms };
  };

  Engine.prototype.bm25 = function (concepts, docs) {
    var self = this, scores = new Map(), avg = this.index.avgLength || 1, k1 = 1.2, b = 0.75;
    concepts.forEach(function (c) {
      c.alts.forEach(function (alt, number) {
        var boost = number === 0 ? 1 : EXPANSION_BOOST;
        alt.forEach(function (term) {
          [["title", 2], ["body", 1]].forEach(function (field) {
            var list = self.index[field[0]][term];
            if (!list) return;
            var df = list.length / 2, idf = Math.log(1 + (self.docCount - df + 0.5) / (df + 0.5));
            for (var i = 0; i < list.length; i += 2) {
              if (!docs.has(list[i])) continue;
              var tf = list[i + 1], length = field[0] === "body" ? self.index.docs[list[i]][4] : avg;
              var s = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg));
              scores.set(list[i], (scores.get(list[i]) || 0) + s * boost * field[1]);
            }
          });
        });
      });
    });
    return scores;
  };

  Engine.prototype.search = function (query, limit) {
    var self = this, concepts = parseQuery(query, this.known, this.vocab);
    if (!concepts.length) return { hits: [], missing: [], concepts: concepts };
    var covers = concepts.map(function (c) { return self.coverage(c); });
    var total = Math.max(this.docCount, 1);
    var idf = covers.map(function (cov) { return Math.log(1 + total / (cov.docs.size || 1)); });
    var keys = new Map();
    covers.forEach(function (cov, i) {
      cov.docs.forEach(function (d) {
        var k = keys.get(d) || [0, 0, 0];
        keys.set(d, [k[0] + 1, k[1] + idf[i], k[2] + (cov.exact.has(d) ? 1 : 0)]);
      });
    });
    var candidates = Array.from(keys.keys());
    var scores = this.bm25(concepts, new Set(candidates));
    var full = concepts.length, docs = this.index.docs;
    function r6(x) { return Math.round(x * 1e6) / 1e6; }
    candidates.sort(function (a, b) {
      var ka = keys.get(a), kb = keys.get(b);
      return ((kb[0] === full) - (ka[0] === full)) || (r6(kb[1]) - r6(ka[1])) || (kb[2] - ka[2])
        || (docs[b][3] - docs[a][3]) || ((scores.get(b) || 0) - (scores.get(a) || 0)) || (a - b);
    });
    var hits = candidates.slice(0, limit).map(function (d) {
      var matched = [];
      covers.forEach(function (cov) { if (cov.terms.has(d)) matched = matched.concat(cov.terms.get(d)); });
      return { doc: d, url: docs[d][0], title: docs[d][1], jurisdiction: docs[d][2],
               text: docs[d][5], matched: matched, covered: keys.get(d)[0] };
    });
    var covered = new Set();
    hits.forEach(function (h) { covers.forEach(function (cov, i) { if (cov.docs.has(h.doc)) covered.add(i); }); });
    var missing = concepts.filter(function (c, i) { return !covered.has(i); }).map(function (c) { return c.label; });
    return { hits: hits, missing: missing, concepts: concepts };
  };

  // --- the page -----------------------------------------------------------------------------------

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function markerFor(terms) {
    var parts = Array.from(new Set(terms)).filter(Boolean).sort(function (a, b) { return b.length - a.length; })
      .map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + (isAsciiAlpha(t) ? "\\w*" : ""); });
    return parts.length ? new RegExp(parts.join("|"), "gi") : null;
  }

  function excerpt(text, terms) {
    var marker = markerFor(terms), plain = norm(text), start = 0;
    if (marker) {
      var first = marker.exec(plain);
      marker.lastIndex = 0;
      if (first) start = Math.max(0, first.index - 30);
    }
    var windowText = text.slice(start, start + 140);
    var html = escapeHtml(windowText);
    if (marker) {
      var plainWindow = plain.slice(start, start + 140), out = "", last = 0, m;
      // positions in the normalised copy match the text (same length for the scripts indexed)
      if (plainWindow.length === windowText.length) {
        while ((m = marker.exec(plainWindow)) !== null) {
          if (!m[0]) { marker.lastIndex++; continue; }
          out += escapeHtml(windowText.slice(last, m.index)) + "<mark>" +
            escapeHtml(windowText.slice(m.index, m.index + m[0].length)) + "</mark>";
          last = m.index + m[0].length;
        }
        html = out + escapeHtml(windowText.slice(last));
      }
    }
    return (start ? "…" : "") + html + (start + 140 < text.length ? "…" : "");
  }

  function render(box, result, query) {
    var list = box.querySelector(".ipw-search__results");
    var message = box.querySelector(".ipw-search__message");
    list.innerHTML = "";
    if (!query.trim()) { message.textContent = ""; return; }
    if (!result.hits.length) {
      message.textContent = "没有找到与“" + query + "”相关的内容。";
      return;
    }
    message.textContent = result.missing.length
      ? "没有同时匹配全部查询词的结果，以下结果未匹配：" + result.missing.join("、")
      : "找到 " + result.hits.length + " 个相关小节";
    message.classList.toggle("ipw-search__message--partial", result.missing.length > 0);
    result.hits.forEach(function (hit) {
      var item = document.createElement("li");
      item.className = "ipw-search__result";
      var link = document.createElement("a");
      link.className = "ipw-search__title";
      link.href = new URL(hit.url, root).href;
      link.textContent = hit.title;
      var text = document.createElement("p");
      text.className = "ipw-search__excerpt";
      text.innerHTML = excerpt(hit.text, hit.matched);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  function start(box) {
    var engine = new Engine(window.IPW_SEARCH_INDEX);
    window.IPW_SEARCH = {
      parse: function (q) { return parseQuery(q, engine.known, engine.vocab); },
      search: function (q, limit) { return engine.search(q, limit || LIMIT); }
    };
    box.innerHTML = '<input class="ipw-search__input md-input" type="search" autocomplete="off"' +
      ' placeholder="输入问题或关键词，如 美国律师函、德国展会禁令" aria-label="站内搜索">' +
      '<p class="ipw-search__message" role="status"></p><ol class="ipw-search__results"></ol>';
    var input = box.querySelector("input"), timer = null;
    function run() {
      var query = input.value;
      render(box, query.trim() ? engine.search(query, LIMIT) : { hits: [], missing: [] }, query);
      // shown: the frame after the results were put in the page (benchmarks read the times)
      requestAnimationFrame(function () {
        box.dataset.shownAt = String(performance.now());
        box.dataset.searched = query;
      });
    }
    input.addEventListener("input", function () {
      box.dataset.typedAt = String(performance.now());
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(); }
    box.dataset.ready = "1";
  }

  var box = document.getElementById("ipw-search");
  if (!box) return;
  box.textContent = "正在载入搜索索引 …";
  var script = document.createElement("script");
  script.src = new URL("search/ipw-index.js", root).href;
  script.onload = function () { start(box); };
  script.onerror = function () { box.textContent = "搜索索引载入失败（search/ipw-index.js）。"; };
  document.head.appendChild(script);
})();
