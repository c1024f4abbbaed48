/* The weights explorer: recompute the index in the browser when a weight moves.
 *
 * Reads the edition's normalised indicator values, the tree, the weights and the
 * aggregation rules from <script type="application/json" id="explorer-data">, and
 * aggregates level by level exactly as the library does (readiness_index.steps.
 * aggregate): missing children are skipped and the weights renormalised over the
 * children present; a parent is missing where the share of children present is
 * below the level's min_coverage; ranks: 1 = highest score, ties share the lowest
 * rank, missing scores get none. Weights are kept in the page's address (#code=w)
 * so that a link reproduces them. Hand-written, no dependency, nothing loaded.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("explorer-data").textContent);
  var text = JSON.parse(document.getElementById("explorer-text").textContent);
  var nominal = data.weights;

  function present(values, weights) {
    var xs = [], ws = [];
    for (var i = 0; i < values.length; i++) {
      if (values[i] !== null && !isNaN(values[i])) { xs.push(values[i]); ws.push(weights[i]); }
    }
    return [xs, ws];
  }

  function sum(list) {
    var total = 0;
    for (var i = 0; i < list.length; i++) { total += list[i]; }
    return total;
  }

  function weightedSum(xs, ws, f) {
    var total = 0;
    for (var i = 0; i < xs.length; i++) { total += ws[i] * f(xs[i]); }
    return total;
  }

  function positive(xs, name) {
    for (var i = 0; i < xs.length; i++) {
      if (xs[i] <= 0) { throw new Error(text.positive.replace("%(method)s", name)); }
    }
  }

  var means = {
    arithmetic: function (xs, ws) { return weightedSum(xs, ws, function (x) { return x; }) / sum(ws); },
    geometric: function (xs, ws) {
      positive(xs, "geometric");
      return Math.exp(weightedSum(xs, ws, Math.log) / sum(ws));
    },
    harmonic: function (xs, ws) {
      positive(xs, "harmonic");
      return sum(ws) / weightedSum(xs, ws, function (x) { return 1 / x; });
    },
    generalised: function (xs, ws, p) {
      if (p < 0 || p !== Math.round(p)) { positive(xs, "generalised"); }
      return Math.pow(weightedSum(xs, ws, function (x) { return Math.pow(x, p); }) / sum(ws), 1 / p);
    },
    median: function (xs) {
      var sorted = xs.slice().sort(function (a, b) { return a - b; });
      var middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
  };

  function copeland(rows, weights) {
    var total = sum(weights), n = rows.length, out = [];
    var outrank = [];
    for (var i = 0; i < n; i++) { outrank.push(new Array(n).fill(0)); }
    for (i = 0; i < n; i++) {
      for (var j = i + 1; j < n; j++) {
        var o = 0;
        for (var k = 0; k < weights.length; k++) {
          var a = rows[i][k], b = rows[j][k], w = weights[k] / total;
          if (a !== null && b !== null) { o += a > b ? w : a === b ? w / 2 : 0; }
        }
        outrank[i][j] = o;
        outrank[j][i] = 1 - o;
      }
    }
    for (i = 0; i < n; i++) { out.push(sum(outrank[i])); }
    return out;
  }

  function covered(values, rule) {
    var count = values.filter(function (x) { return x !== null; }).length;
    return rule.min_coverage === null || count / values.length >= rule.min_coverage;
  }

  function aggregate(rows, weights, rule) {
    if (rule.method === "copeland") {
      return copeland(rows, weights).map(function (score, unit) {
        return covered(rows[unit], rule) ? score : null;
      });
    }
    return rows.map(function (values) {
      var kept = present(values, weights);
      if (!kept[0].length || sum(kept[1]) <= 0 || !covered(values, rule)) { return null; }
      var score = means[rule.method](kept[0], kept[1], rule.p);
      return isNaN(score) ? null : score;
    });
  }

  /* Scores of every node for every unit with the given weights. */
  function compute(weights) {
    var scores = {};
    Object.keys(data.values).forEach(function (code) { scores[code] = data.values[code]; });
    data.order.forEach(function (code) {
      var children = data.children[code];
      var rows = data.units.map(function (_, unit) {
        return children.map(function (child) {
          var value = scores[child][unit];
          return value === null || isNaN(value) ? null : value;
        });
      });
      var rule = data.rules[String(data.levels[code])];
      scores[code] = aggregate(rows, children.map(function (c) { return weights[c]; }), rule);
    });
    return scores;
  }

  function ranks(scores) {
    return scores.map(function (score) {
      if (score === null) { return null; }
      var above = 0;
      scores.forEach(function (other) { if (other !== null && other > score) { above++; } });
      return above + 1;
    });
  }

  /* -- the page ---------------------------------------------------------------- */
  var form = document.getElementById("weights");
  var body = document.querySelector("#explorer-ranking tbody");
  var status = document.getElementById("explorer-status");
  var share = document.getElementById("share-link");
  var number = new Intl.NumberFormat(document.documentElement.lang,
                                     {minimumFractionDigits: 1, maximumFractionDigits: 1});

  function inputs(code) { return form.querySelectorAll("[data-code='" + code + "']"); }

  function weightsNow() {
    var weights = {};
    Object.keys(nominal).forEach(function (code) {
      var field = form.querySelector("input[type='number'][data-code='" + code + "']");
      var value = field ? parseFloat(field.value) : NaN;
      weights[code] = isNaN(value) || value <= 0 ? nominal[code] : value;
    });
    return weights;
  }

  function setWeight(code, value) {
    inputs(code).forEach(function (field) { field.value = String(value); });
  }

  function changeCell(change) {
    var cell = document.createElement("td");
    cell.className = "num";
    cell.dataset.field = "change";
    var span = document.createElement("span");
    var word = change > 0 ? text.up : change < 0 ? text.down : text.same;
    span.className = "change " + (change > 0 ? "up" : change < 0 ? "down" : "same");
    span.textContent = (change > 0 ? "▲ +" : change < 0 ? "▼ −" : "= ") + Math.abs(change);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + word;
    span.appendChild(hidden);
    cell.appendChild(span);
    return cell;
  }

  function cell(value, field) {
    var td = document.createElement("td");
    td.className = "num";
    td.dataset.field = field;
    td.textContent = value;
    return td;
  }

  function row(unit, score, rank) {
    var tr = document.createElement("tr");
    tr.dataset.country = data.units[unit];
    tr.appendChild(cell(rank === null ? "–" : String(rank), "rank"));
    var name = document.createElement("th");
    name.scope = "row";
    name.textContent = text.names[data.units[unit]] || data.units[unit];
    tr.appendChild(name);
    tr.appendChild(cell(score === null ? "–" : number.format(score), "score"));
    var published = data.rank[unit];
    tr.appendChild(cell(published === null ? "–" : String(published), "published-rank"));
    tr.appendChild(published === null || rank === null ? cell("–", "change")
                                                        : changeCell(published - rank));
    return tr;
  }

  function hash(weights) {
    var parts = [];
    Object.keys(nominal).forEach(function (code) {
      if (weights[code] !== nominal[code]) {
        parts.push(encodeURIComponent(code) + "=" + encodeURIComponent(String(weights[code])));
      }
    });
    return parts.join("&");
  }

  function update() {
    var weights = weightsNow();
    var scores;
    try {
      scores = compute(weights)[data.root];
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    var order = data.units.map(function (_, unit) { return unit; });
    var rank = ranks(scores);
    order.sort(function (a, b) {
      if (rank[a] === rank[b]) { return data.units[a] < data.units[b] ? -1 : 1; }
      if (rank[a] === null) { return 1; }
      if (rank[b] === null) { return -1; }
      return rank[a] - rank[b];
    });
    body.replaceChildren.apply(body, order.map(function (unit) {
      return row(unit, scores[unit], rank[unit]);
    }));
    var moved = order.filter(function (unit) { return rank[unit] !== data.rank[unit]; }).length;
    status.textContent = text.moved.replace("%(count)s", String(moved));
    var fragment = hash(weights);
    share.href = "#" + fragment;
    try {
      history.replaceState(null, "", fragment ? "#" + fragment : location.pathname);
    } catch (error) { /* some browsers refuse on file:// pages; the link still works */ }
  }

  function fromHash() {
    Object.keys(nominal).forEach(function (code) { setWeight(code, nominal[code]); });
    new URLSearchParams(location.hash.replace(/^#/, "")).forEach(function (value, code) {
      var weight = parseFloat(value);
      if (Object.prototype.hasOwnProperty.call(nominal, code) && weight > 0) {
        setWeight(code, weight);
      }
    });
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.code && parseFloat(field.value) > 0) {
      setWeight(field.dataset.code, field.value);
      update();
    }
  });
  document.getElementById("reset-weights").addEventListener("click", function () {
    Object.keys(nominal).forEach(function (code) { setWeight(code, nominal[code]); });
    update();
  });
  window.addEventListener("hashchange", function () { fromHash(); update(); });
  form.hidden = false;
  document.getElementById("explorer-controls").hidden = false;
  fromHash();
  update();
  document.documentElement.dataset.explorer = "ready";
})();
