/* gi-build site search. Loaded (deferred) on every page, it only listens: the index and lunr are
   fetched on the search page, or when a search box is first focused. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var assets = script.getAttribute('data-assets');
  var indexUrl = script.getAttribute('data-index');
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }

  /** Loads lunr, our pipeline and the index once; later calls share the same promise. */
  function load() {
    if (!loading) {
      loading = loadScript(assets + 'lunr.min.js')
        .then(function () { return loadScript(assets + 'search-core.js'); })
        .then(function () { return fetch(indexUrl); })
        .then(function (response) {
          if (!response.ok) throw new Error('the search index answered ' + response.status);
          return response.json();
        })
        .then(function (data) {
          return { idx: window.lunr.Index.load(data.index), docs: data.docs };
        });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  var inputs = document.querySelectorAll('form[role="search"] input[name="q"]');
  for (var i = 0; i < inputs.length; i++) inputs[i].addEventListener('focus', function () { load().catch(function () {}); }, { once: true });

  var results = document.getElementById('gi-search-results');
  var status = document.getElementById('gi-search-status');
  var box = document.getElementById('gi-search-q');
  if (!results || !status || !box) return;

  var pipeline = null;
  /** The index terms a word of text stands for, as the search pipeline makes them. */
  function termOf(word) {
    if (!pipeline) {
      pipeline = new window.lunr.Pipeline();
      window.giSearchPipeline.search.forEach(function (fn) { pipeline.add(fn); });
    }
    return pipeline.runString(word.toLowerCase())[0] || '';
  }

  /** Appends text to a node with the words that matched wrapped in <mark>; never as HTML. */
  function highlight(node, text, terms) {
    var parts = String(text).split(/([\p{L}\p{N}]+)/u);
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (!part) continue;
      var term = i % 2 === 1 ? termOf(part) : '';
      var hit = term && terms.some(function (t) { return t === term || (term.length >= 3 && t.indexOf(term) === 0); });
      if (hit) {
        var mark = document.createElement('mark');
        mark.textContent = part;
        node.appendChild(mark);
      } else {
        node.appendChild(document.createTextNode(part));
      }
    }
  }

  /** The visitor's text as the status repeats it: cut when long, as the status is read aloud. */
  function echo(text) {
    var chars = Array.from(text);
    return chars.length > 100 ? chars.slice(0, 100).join('') + '…' : text;
  }

  function show(query, data) {
    results.textContent = '';
    var text = query.trim();
    if (!text) {
      status.textContent = 'Type one or more words to search the site.';
      return;
    }
    var hits = window.giSearchQuery(window.lunr, data.idx, window.giSearchPipeline, query).slice(0, 50);
    status.textContent = hits.length === 0
      ? 'No results for “' + echo(text) + '”. Check the spelling, try fewer or more general words, or browse the archive and tags.'
      : hits.length + (hits.length === 1 ? ' result' : ' results') + ' for “' + echo(text) + '”';
    if (hits.length === 0) return;
    var list = document.createElement('ol');
    list.className = 'search-results';
    hits.forEach(function (hit) {
      var doc = data.docs[hit.ref];
      if (!doc) return;
      var item = document.createElement('li');
      var heading = document.createElement('h2');
      var link = document.createElement('a');
      link.href = doc.url;
      highlight(link, doc.title, hit.terms);
      heading.appendChild(link);
      item.appendChild(heading);
      if (doc.date) {
        var time = document.createElement('time');
        time.setAttribute('datetime', doc.date);
        time.textContent = doc.dateText || doc.date;
        item.appendChild(time);
      }
      if (doc.summary) {
        var summary = document.createElement('p');
        highlight(summary, doc.summary, hit.terms);
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  var timer = 0;
  function update(query, push) {
    var url = new URL(window.location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    if (push) window.history.replaceState(null, '', url);
    load().then(function (data) { show(query, data); }, function (err) {
      status.textContent = 'Search could not load (' + err.message + '). Please try again later.';
    });
  }

  var initial = new URLSearchParams(window.location.search).get('q') || '';
  box.value = initial;
  for (var j = 0; j < inputs.length; j++) if (inputs[j] !== box) inputs[j].value = initial;
  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(box.value, true); }, 150);
  });
  box.form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    update(box.value, true);
  });
  update(initial, false);
})();
