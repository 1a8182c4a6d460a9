// poam status site: sorting and filtering of tables marked `sortable`.
// Progressive enhancement: every table is complete and readable without this file. Item text is
// only ever read with textContent and written with textContent or as an option's value, never
// parsed as HTML. The pages allow `script-src 'self'`: this file, nothing inline, nothing else.
(function () {
  'use strict';
  var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function cellText(row, index, attribute) {
    var cell = row.cells[index];
    if (!cell) { return ''; }
    var value = cell.getAttribute(attribute);
    return value === null ? cell.textContent.replace(/\s+/g, ' ').trim() : value;
  }

  function compare(a, b, numeric) {
    if (a === '' || b === '') { return a === b ? 0 : (a === '' ? 1 : -1); }
    if (numeric) {
      var x = parseFloat(a);
      var y = parseFloat(b);
      if (!isNaN(x) && !isNaN(y)) { return x - y; }
    }
    return collator.compare(a, b);
  }

  function filterValues(text, kind) {
    if (text === '') { return ['(none)']; }
    if (kind === 'list') {
      return text.split(/\s*,\s*/).filter(function (v) { return v !== ''; });
    }
    return [text];
  }

  function enhance(table, number) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body || head.rows.length === 0 || body.rows.length < 2) { return; }
    var headers = head.rows[0].cells;
    var rows = Array.prototype.slice.call(body.rows);

    each(headers, function (th, index) {
      if (th.hasAttribute('data-nosort')) { return; }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        each(headers, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.hasAttribute('data-numeric');
        var order = rows.map(function (row, at) {
          return { key: cellText(row, index, 'data-value'), at: at, row: row };
        });
        order.sort(function (p, q) {
          var c = compare(p.key, q.key, numeric);
          if (!ascending) { c = -c; }
          return c || p.at - q.at;
        });
        order.forEach(function (p) { body.appendChild(p.row); });
      });
    });

    var filters = [];
    var bar = document.createElement('div');
    bar.className = 'filters';
    each(headers, function (th, index) {
      var kind = th.getAttribute('data-filter');
      if (kind === null) { return; }
      var seen = {};
      rows.forEach(function (row) {
        filterValues(cellText(row, index, 'data-filter-value'), kind).forEach(function (v) {
          seen[v] = true;
        });
      });
      var names = Object.keys(seen).sort(collator.compare);
      if (names.length < 2) { return; }
      var id = 'filter-' + number + '-' + index;
      var label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = th.textContent.trim();
      var select = document.createElement('select');
      select.id = id;
      var all = document.createElement('option');
      all.value = '';
      all.textContent = 'All';
      select.appendChild(all);
      names.forEach(function (name) {
        var option = document.createElement('option');
        option.value = name;
        option.textContent = name;
        select.appendChild(option);
      });
      var field = document.createElement('span');
      field.className = 'filter';
      field.appendChild(label);
      field.appendChild(select);
      bar.appendChild(field);
      filters.push({ index: index, kind: kind, select: select });
    });

    var searchId = 'search-' + number;
    var searchLabel = document.createElement('label');
    searchLabel.htmlFor = searchId;
    searchLabel.textContent = 'Search';
    var search = document.createElement('input');
    search.type = 'search';
    search.id = searchId;
    var searchField = document.createElement('span');
    searchField.className = 'filter';
    searchField.appendChild(searchLabel);
    searchField.appendChild(search);
    bar.appendChild(searchField);

    var status = document.createElement('span');
    status.className = 'shown';
    status.setAttribute('aria-live', 'polite');
    bar.appendChild(status);

    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(function (w) { return w !== ''; });
      var shown = 0;
      rows.forEach(function (row, at) {
        var keep = filters.every(function (f) {
          return f.select.value === '' ||
            filterValues(cellText(row, f.index, 'data-filter-value'), f.kind).indexOf(f.select.value) >= 0;
        }) && words.every(function (w) { return texts[at].indexOf(w) >= 0; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      status.textContent = shown === rows.length ? rows.length + ' rows' : shown + ' of ' + rows.length + ' rows';
    }
    filters.forEach(function (f) { f.select.addEventListener('change', apply); });
    search.addEventListener('input', apply);
    apply();

    var anchor = table.parentNode && table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    anchor.parentNode.insertBefore(bar, anchor);
    table.classList.add('enhanced');
  }

  each(document.querySelectorAll('table.sortable'), enhance);

  // Printing opens every disclosure (the stylesheet does too, where the browser supports
  // `::details-content`), and closes again the ones that were closed.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    each(document.querySelectorAll('details:not([open])'), function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
}());
