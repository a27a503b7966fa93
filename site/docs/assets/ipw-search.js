// The 站内搜索 page: Pagefind's search box, with Chinese queries split the way the index was
// (longest match over pagefind/ipw-words.json; see site/ipwatch/sitesearch.py). ?q=… searches.
(function () {
  var box = document.getElementById("ipw-search");
  if (!box) return;
  var me = document.querySelector("script[src$='ipw-search.js']").src;
  var base = new URL("../pagefind/", me);
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var MAX = 8;

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
