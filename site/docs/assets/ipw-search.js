// The 站内搜索 page: Pagefind's search box, with Chinese queries split the way the index was
// (longest match over pagefind/ipw-words.json; see site/ipwatch/sitesearch.py). ?q=… searches.
(function () {
  var me = document.querySelector("script[src$='ipw-search.js']").src;
  headerButton(new URL("../search.html", me));
  var box = document.getElementById("ipw-search");
  if (!box) return;
  var base = new URL("../pagefind/", me);
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var MAX = 8;

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
    var before = header.querySelector(".md-header__source, label[for='__palette']");
    header.insertBefore(link, before);
  }

  function longestMatch(run, words) {
    var out = [];
    for (var i = 0; i < run.length;) {
      var n = Math.min(MAX, run.length - i);
      while (n > 1 && !words.has(run.substr(i, n))) n--;
      out.push(run.substr(i, n));
      i += n;
    }
    return out;
  }

  // Pagefind splits a Chinese query with Intl.Segmenter; on this page that splitter uses
  // the index's own word list for Chinese runs and the browser's for everything else.
  function installSegmenter(words) {
    var Native = Intl.Segmenter;
    function Segmenter(locale, options) {
      this.native = new Native(locale, options);
      this.words = options && options.granularity === "word";
    }
    Segmenter.prototype.resolvedOptions = function () { return this.native.resolvedOptions(); };
    Segmenter.prototype.segment = function (text) {
      if (!this.words) return this.native.segment(text);
      var out = [], index = 0, native = this.native;
      String(text).split(/([\u3400-\u9fff\uf900-\ufaff]+)/).forEach(function (part) {
        if (!part) return;
        var pieces = CJK.test(part) ? longestMatch(part, words)
          : Array.from(native.segment(part), function (s) { return s.segment; });
        pieces.forEach(function (p) {
          out.push({ segment: p, index: index, input: text, isWordLike: /\S/.test(p) });
          index += p.length;
        });
      });
      return out;
    };
    Intl.Segmenter = Segmenter;
  }

  // the index was read from pages split by zero-width spaces: drop them from what is shown
  function clean(result) {
    var strip = function (s) { return typeof s === "string" ? s.replace(/\u200b/g, "") : s; };
    result.excerpt = strip(result.excerpt);
    if (result.meta) result.meta.title = strip(result.meta.title);
    (result.sub_results || []).forEach(function (sub) {
      sub.title = strip(sub.title);
      sub.excerpt = strip(sub.excerpt);
    });
    return result;
  }

  function start() {
    var ui = new PagefindUI({
      element: "#ipw-search",
      bundlePath: base.href,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      noWorker: true,  // the query splitting above lives on this page, not in a worker
      translations: { placeholder: "输入关键词，如 专利侵权" },
      processResult: clean
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("pagefind-ui.css", base).href;
  document.head.appendChild(css);
  fetch(new URL("ipw-words.json", base)).then(function (r) { return r.json(); })
    .then(function (list) { installSegmenter(new Set(list)); })
    .catch(function () { /* without the list Pagefind's own splitting is used */ })
    .then(function () {
      var script = document.createElement("script");
      script.src = new URL("pagefind-ui.js", base).href;
      script.onload = start;
      document.head.appendChild(script);
    });
})();
