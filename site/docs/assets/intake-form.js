/* 海外知识产权纠纷应对指导申请书 — the fillable form of the 申请指导 page.
 *
 * Works offline in the browser, with no server: nothing typed here leaves the computer
 * unless the applicant sends the exported file. The checks are those of kb/cases/formcheck.py,
 * driven by the same schema (kb/cases/form.py, embedded in the page as JSON) and tested against
 * the same vectors (tests/data/form_vectors.json).
 */
(function () {
  "use strict";

  function Problem(code, params) {
    this.code = code;
    this.params = params || {};
  }

  function message(schema, problem) {
    return schema.messages[problem.code].replace(/\{(\w+)\}/g, function (_, name) {
      return String(problem.params[name]);
    });
  }

  var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

  function cleanText(schema, value) {
    var space = schema.patterns.space;
    return value.normalize("NFC").replace(new RegExp("^" + space + "+|" + space + "+$", "g"), "");
  }

  function hasInvisible(schema, value) {
    return Array.from(value).some(function (ch) {
      var code = ch.codePointAt(0);
      return schema.invisible_ranges.some(function (r) { return code >= r[0] && code <= r[1]; });
    });
  }

  function charLength(value) {
    return Array.from(value).length;
  }

  function checkChars(schema, value, multiline) {
    var p = schema.patterns;
    if (new RegExp(p.control).test(value) || new RegExp(p.bidi).test(value) ||
        (!multiline && new RegExp(p.line).test(value))) {
      throw new Problem("bad_chars");
    }
    if (hasInvisible(schema, value)) throw new Problem("invisible_chars");
  }

  function orgCodeCheckChar(schema, body) {
    var total = 0;
    for (var i = 0; i < body.length; i++) total += parseInt(body[i], 36) * schema.uscc.org_weights[i];
    return "0123456789X0"[11 - (total % 11)];
  }

  var EXCEL_NUMBER = /^[0-9](?:\.[0-9]+)?E\+?[0-9]+$/;

  function usccCheckChar(schema, first17) {
    var alphabet = schema.uscc.alphabet, total = 0, weight = 1;
    for (var i = 0; i < first17.length; i++) {
      total += alphabet.indexOf(first17[i]) * weight;
      weight = (weight * 3) % 31;
    }
    return alphabet[(31 - (total % 31)) % 31];
  }

  function checkUscc(schema, value) {
    var code = value.toUpperCase(), alphabet = schema.uscc.alphabet;
    if (EXCEL_NUMBER.test(code)) throw new Problem("uscc_number");
    if (charLength(code) !== 18) throw new Problem("uscc_length", { len: charLength(code) });
    for (var i = 0; i < code.length; i++) {
      if (alphabet.indexOf(code[i]) < 0) throw new Problem("uscc_chars", { value: code[i] });
    }
    if (/^0{18}$/.test(code)) throw new Problem("uscc_zero");
    var categories = schema.uscc.categories[code[0]];
    if (categories === undefined) throw new Problem("uscc_authority", { value: code[0] });
    if (categories.indexOf(code[1]) < 0) throw new Problem("uscc_category", { value: code[1] });
    if (!/^[0-9]{6}$/.test(code.slice(2, 8))) throw new Problem("uscc_region");
    // Never say which character is expected: a clerk would copy it and "fix" a mistyped code.
    var orgOk = code[16] === orgCodeCheckChar(schema, code.slice(8, 16));
    if (orgOk && code[17] === usccCheckChar(schema, code.slice(0, 17))) return code;
    if (EXCEL_NUMBER.test(code) || /^[0-9]{15}000$/.test(code)) throw new Problem("uscc_number");
    throw new Problem(orgOk ? "uscc_checksum" : "uscc_org_checksum");
  }

  function fullMatch(pattern, text) {
    return new RegExp("^(?:" + pattern + ")$").test(text);
  }

  function checkPhone(schema, value) {
    if (!new RegExp(schema.patterns.phone_shape).test(value)) throw new Problem("phone_shape");
    var digits = value.replace(/[ ()\-]/g, ""), rest;
    if (digits.indexOf("+86") === 0) rest = digits.slice(3);
    else if (digits.indexOf("0086") === 0) rest = digits.slice(4);
    else if (digits.indexOf("+") === 0) throw new Problem("phone_invalid");
    else rest = digits;
    if (rest.indexOf("0") === 0) rest = rest.slice(1);  // the trunk prefix of a landline
    var meta = schema.phone;
    var fixed = fullMatch(meta.fixed_line, rest) && meta.fixed_line_lengths.indexOf(rest.length) >= 0;
    var mobile = fullMatch(meta.mobile, rest) && meta.mobile_lengths.indexOf(rest.length) >= 0;
    if (!(fixed || mobile)) throw new Problem("phone_invalid");
    return "+86" + rest;
  }

  function checkEmail(schema, value) {
    if (!new RegExp(schema.patterns.email).test(value)) throw new Problem("email");
    var at = value.lastIndexOf("@");
    return value.slice(0, at) + "@" + value.slice(at + 1).toLowerCase();
  }

  function checkDate(schema, value) {
    var m = new RegExp(schema.patterns.date).exec(value);
    if (!m) throw new Problem("date");
    var y = +m[1], mo = +m[2], d = +m[3];
    var when = new Date(Date.UTC(y, mo - 1, d));
    if (when.getUTCFullYear() !== y || when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d) {
      throw new Problem("date");
    }
    if (y < schema.date_years[0] || y > schema.date_years[1]) throw new Problem("date");
    return value;
  }

  var VALUE_CHECKS = { uscc: checkUscc, phone: checkPhone, email: checkEmail, date: checkDate };

  function checkText(schema, field, raw) {
    if (typeof raw !== "string") {
      throw new Problem(typeof raw === "number" && field.kind === "uscc" ? "uscc_number" : "not_text");
    }
    if (LONE_SURROGATE.test(raw)) throw new Problem("bad_unicode");
    var value = cleanText(schema, raw);
    checkChars(schema, value, field.kind === "textarea");
    if (field.max_len && charLength(value) > field.max_len) {
      throw new Problem("too_long", { max: field.max_len, len: charLength(value) });
    }
    if (value && VALUE_CHECKS[field.kind]) value = VALUE_CHECKS[field.kind](schema, value);
    return value;
  }

  function checkChoices(field, raw) {
    var values = typeof raw === "string" && raw ? [raw] : (raw || []);
    if (!Array.isArray(values) || !values.every(function (v) { return typeof v === "string"; })) {
      throw new Problem("not_list");
    }
    var order = field.choices.map(function (c) { return c.code; });
    values.forEach(function (v) {
      if (order.indexOf(v) < 0) throw new Problem("unknown_choice", { value: v });
    });
    var picked = order.filter(function (code) { return values.indexOf(code) >= 0; });
    if (!field.multiple) {
      if (picked.length > 1) throw new Problem("one_choice");
      return picked.length ? picked[0] : "";
    }
    return picked;
  }

  function checkField(schema, field, raw) {
    if (field.kind === "choice" || field.kind === "choices") {
      var chosen = checkChoices(field, raw);
      if (field.required && !chosen.length) throw new Problem("required_choice");
      return chosen;
    }
    var value = checkText(schema, field, raw === undefined || raw === null ? "" : raw);
    if (field.required && !value) throw new Problem("required");
    return value;
  }

  function otherProblem(chosen, text) {
    var ticked = Array.isArray(chosen) ? chosen.indexOf("other") >= 0 : chosen === "other";
    if (ticked && !text) return new Problem("other_required");
    if (text && !ticked) return new Problem("other_without_choice");
    return null;
  }

  /* Check every field: {clean, problems: {key: Problem}} — as kb.cases.formcheck.check_problems. */
  function checkApplication(schema, data) {
    var clean = {}, problems = {}, byKey = {};
    schema.fields.forEach(function (f) { byKey[f.key] = f; });
    Object.keys(data).forEach(function (key) {
      if (!byKey[key]) problems[key] = new Problem("unknown_field");
    });
    schema.fields.forEach(function (f) {
      try {
        clean[f.key] = checkField(schema, f, data[f.key]);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        problems[f.key] = e;
        clean[f.key] = null;
      }
    });
    schema.fields.forEach(function (f) {
      if (!f.other_key || problems[f.key] || problems[f.other_key]) return;
      var problem = otherProblem(clean[f.key], clean[f.other_key]);
      if (problem) problems[f.other_key] = problem;
    });
    return { clean: clean, problems: problems };
  }

  /* ---------------------------------------------------------------- the page ---- */

  function readForm(schema, formEl) {
    var data = {};
    schema.fields.forEach(function (f) {
      if (f.kind === "choice" || f.kind === "choices") {
        var ticked = formEl.querySelectorAll('input[name="' + f.key + '"]:checked');
        var codes = Array.prototype.map.call(ticked, function (el) { return el.value; });
        data[f.key] = f.multiple ? codes : (codes.length > 1 ? codes : (codes[0] || ""));
      } else {
        var el = formEl.elements.namedItem(f.key);
        data[f.key] = el ? el.value : "";
      }
    });
    return data;
  }

  function labelOf(schema, key) {
    var f = schema.fields.filter(function (x) { return x.key === key; })[0];
    return f ? f.label : key;
  }

  /* The element a summary link focuses: the text box, or the first box of a choice. */
  function targetOf(key) {
    return document.getElementById("ipw-" + key) ||
      document.querySelector('#ipw-form input[name="' + key + '"]');
  }

  /* aria-describedby of every control: its hint and counter, plus its error while it has one. */
  function describe(formEl, problems) {
    formEl.querySelectorAll("[data-field]").forEach(function (el) {
      var key = el.getAttribute("data-field");
      el.querySelectorAll("input, textarea").forEach(function (input) {
        if (!input.hasAttribute("data-ipw-described")) {
          input.setAttribute("data-ipw-described", input.getAttribute("aria-describedby") || "");
        }
        var own = problems[input.name] ? input.name : (input.type === "text" ? "" : key);
        var ids = input.getAttribute("data-ipw-described").split(" ").filter(Boolean);
        if (own && problems[own]) ids.push("ipw-err-" + own);
        input.setAttribute("aria-invalid", problems[input.name] ? "true" : "false");
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
        else input.removeAttribute("aria-describedby");
      });
    });
  }

  function summaryLink(schema, key, problem) {
    var li = document.createElement("li"), link = document.createElement("a");
    link.href = "#" + (targetOf(key) ? targetOf(key).id : "ipw-form");
    link.textContent = "「" + labelOf(schema, key) + "」" + message(schema, problem);
    link.addEventListener("click", function (event) {
      var target = targetOf(key);
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
    li.appendChild(link);
    return li;
  }

  function showProblems(schema, formEl, problems) {
    formEl.querySelectorAll("[data-error-for]").forEach(function (el) {
      var problem = problems[el.getAttribute("data-error-for")];
      el.textContent = problem ? message(schema, problem) : "";
      el.hidden = !problem;
    });
    formEl.querySelectorAll("[data-field]").forEach(function (el) {
      el.classList.toggle("ipw-invalid", !!problems[el.getAttribute("data-field")]);
    });
    describe(formEl, problems);
    var summary = document.getElementById("ipw-summary");
    var keys = schema.fields.map(function (f) { return f.key; }).filter(function (k) { return problems[k]; });
    summary.innerHTML = "";
    if (!keys.length) {
      summary.hidden = true;
      return;
    }
    var title = document.createElement("h2");
    title.className = "ipw-summary-title";
    title.textContent = "申请书有 " + keys.length + " 处需要修改（点击跳到该处）：";
    var list = document.createElement("ul");
    keys.forEach(function (k) { list.appendChild(summaryLink(schema, k, problems[k])); });
    summary.appendChild(title);
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  function exportFile(schema, clean) {
    var payload = {
      format: schema.format,
      version: schema.version,
      exported_at: new Date().toISOString().slice(0, 19) + "Z",
      application: clean
    };
    var text = JSON.stringify(payload, null, 2);
    var blob = new Blob([text], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = schema.title + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.ipwLastExport = text;
    return text;
  }

  // as on the Word form (kb/cases/formdocx.py SIGNATURE_LINE)
  var SIGNATURE_LINE = "申请人（签字或盖章）：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000" +
    "日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日";

  function box(checked) {
    return checked ? "☑" : "☐";
  }

  function printChoices(field, value, otherText) {
    var chosen = Array.isArray(value) ? value : [value];
    return field.choices.map(function (c) {
      var text = box(chosen.indexOf(c.code) >= 0) + " " + c.label;
      if (c.code === "other" && field.other_key) text += "：" + (otherText || "________");
      return text;
    }).join("　");
  }

  function addRow(table, label, content, cls) {
    var tr = table.insertRow(), th = document.createElement("th"), td = tr.insertCell();
    th.textContent = label;
    tr.insertBefore(th, td);
    td.textContent = content;
    if (cls) td.className = cls;
  }

  /* The printable copy, laid out like 附件1 (A4 print styles in intake-form.css). */
  function buildPrint(schema, clean, raw) {
    var holder = document.getElementById("ipw-print");
    holder.innerHTML = "";
    var head = document.createElement("p");
    head.className = "ipw-print-annex";
    head.textContent = "附件1";
    var title = document.createElement("h2");
    title.textContent = schema.title;
    var table = document.createElement("table");
    var others = {};
    schema.fields.forEach(function (f) { if (f.other_key) others[f.other_key] = f.key; });
    schema.fields.forEach(function (f) {
      if (others[f.key]) return;
      var v = clean[f.key];
      if (f.kind === "phone") v = cleanText(schema, raw[f.key]);  // as the applicant wrote it
      var content = f.choices.length ? printChoices(f, v, clean[f.other_key]) : (v || "");
      if (f.hint && f.kind === "choice" && f.key === "level") content += "（" + f.hint + "）";
      var label = f.group ? f.group + "（" + f.label + "）" : f.label;
      addRow(table, label, content, f.kind === "textarea" ? "ipw-print-long" : "");
    });
    var sign = document.createElement("p");
    sign.className = "ipw-print-sign";
    sign.textContent = SIGNATURE_LINE;
    holder.appendChild(head);
    holder.appendChild(title);
    holder.appendChild(table);
    holder.appendChild(sign);
    document.body.appendChild(holder);  // printed alone (intake-form.css, @media print)
    document.body.classList.add("ipw-has-print");
  }

  /* ------------------------------------------- counters, draft, load, online ---- */

  function fillForm(schema, formEl, data) {
    formEl.reset();
    schema.fields.forEach(function (f) {
      var value = data[f.key];
      if (f.kind === "choice" || f.kind === "choices") {
        var chosen = Array.isArray(value) ? value : [value];
        formEl.querySelectorAll('input[name="' + f.key + '"]').forEach(function (box) {
          box.checked = chosen.indexOf(box.value) >= 0;
        });
      } else {
        var el = formEl.elements.namedItem(f.key);
        if (el && typeof value === "string") el.value = value;
      }
    });
  }

  function updateCounters(schema, formEl) {
    formEl.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var el = formEl.elements.namedItem(counter.getAttribute("data-count-for"));
      var max = +counter.getAttribute("data-max"), used = charLength(cleanText(schema, el.value));
      counter.textContent = used > max
        ? "已填 " + used + " 字，超出上限 " + (used - max) + " 字（最多 " + max + " 字，可另附页）"
        : "已填 " + used + " 字，最多 " + max + " 字";
      counter.classList.toggle("ipw-counter-over", used > max);
    });
  }

  var DRAFT_KEY = "ipw-intake-draft";

  function hasContent(data) {
    return Object.keys(data).some(function (k) {
      return Array.isArray(data[k]) ? data[k].length : !!data[k];
    });
  }

  function saveDraft(data) {
    try {
      if (hasContent(data)) {
        localStorage.setItem(DRAFT_KEY, JSON.stringify({ saved_at: new Date().toISOString(), application: data }));
      } else {
        localStorage.removeItem(DRAFT_KEY);
      }
      return true;
    } catch (e) {
      return false;  // storage off (private window, policy): the form still works
    }
  }

  function readDraft() {
    try {
      var draft = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
      return draft && typeof draft.application === "object" ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function dropDraft() {
    try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* storage off */ }
  }

  function localTime(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function parseExport(schema, text) {
    var payload = JSON.parse(text);
    if (!payload || payload.format !== schema.format || payload.version !== schema.version ||
        typeof payload.application !== "object" || payload.application === null) {
      throw new Error("format");
    }
    return payload.application;
  }

  function showReceipt(box, answer) {
    box.innerHTML = "";
    function line(tag, text) {
      var el = document.createElement(tag);
      el.textContent = text;
      box.appendChild(el);
      return el;
    }
    line("p", "已提交。回执编号：" + answer.receipt + "，查询码：" + answer.code).className = "ipw-receipt-ids";
    line("p", answer.note);
    line("p", answer.who_calls);
    var list = document.createElement("ol");
    answer.steps.forEach(function (s) {
      var li = document.createElement("li");
      li.textContent = s.step + "（" + s.days + " 个工作日内）";
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function submitOnline(schema, online, clean, say) {
    var files = document.getElementById("ipw-attachments").files;
    var body = new FormData();
    var payload = { format: schema.format, version: schema.version, application: clean };
    body.append("application", new Blob([JSON.stringify(payload)], { type: "application/json" }), "application.json");
    Array.prototype.forEach.call(files, function (f) { body.append("attachments", f, f.name); });
    say("正在提交……");
    return fetch(online.getAttribute("data-receiver") + "submit", { method: "POST", body: body })
      .then(function (response) {
        return response.json().then(function (answer) { return { ok: response.status === 201, answer: answer }; });
      })
      .then(function (result) {
        if (!result.ok) {
          var fields = (result.answer.fields || []).map(function (f) { return "「" + f.field + "」" + f.message; });
          say("未能提交：" + result.answer.error + (fields.length ? "：" + fields.join("；") : ""));
          return;
        }
        say("");
        dropDraft();
        showReceipt(document.getElementById("ipw-receipt"), result.answer);
      })
      .catch(function () { say("未能连接在线接收服务，请稍后再试，或按下文报送纸质申请书。"); });
  }

  function setup() {
    var schemaEl = document.getElementById("ipw-form-schema");
    var formEl = document.getElementById("ipw-form");
    if (!schemaEl || !formEl) return;
    var schema = JSON.parse(schemaEl.textContent);
    var result = null;
    var exportButton = document.getElementById("ipw-export");
    var printButton = document.getElementById("ipw-print-button");
    var online = document.getElementById("ipw-online");
    var onlineButton = document.getElementById("ipw-submit-online");
    var draftText = document.getElementById("ipw-draft-text");
    var loadStatus = document.getElementById("ipw-load-status");
    function enable(ok) {
      exportButton.disabled = !ok;
      printButton.disabled = !ok;
      if (onlineButton) onlineButton.disabled = !ok;
    }
    function check(quiet) {
      var raw = readForm(schema, formEl);
      result = checkApplication(schema, raw);
      var ok = Object.keys(result.problems).length === 0;
      if (quiet && !ok) return false;
      showProblems(schema, formEl, result.problems);
      enable(ok);
      if (ok) buildPrint(schema, result.clean, raw);
      document.getElementById("ipw-status").textContent = ok
        ? "检查通过：请导出申请书文件并打印，签字或盖章后连同材料报送（见下文“怎样报送”）。"
        : "请按提示修改后再检查。";
      return ok;
    }
    var draft = readDraft();
    if (draft) {
      fillForm(schema, formEl, draft.application);
      draftText.textContent = "已恢复您于 " + localTime(draft.saved_at) + " 保存在本浏览器中的草稿。" +
        "导出申请书文件或点“清除草稿”后删除。";
    }
    updateCounters(schema, formEl);
    formEl.addEventListener("submit", function (event) {
      event.preventDefault();
      check();
    });
    exportButton.addEventListener("click", function () {
      if (!check()) return;
      exportFile(schema, result.clean);
      dropDraft();
      draftText.textContent = "已导出申请书文件，本浏览器中的草稿已删除；需要修改时可载入该文件。";
    });
    printButton.addEventListener("click", function () {
      if (check()) window.print();
    });
    formEl.addEventListener("input", function (event) {
      if (event.target.id === "ipw-attachments") return;
      enable(false);
      updateCounters(schema, formEl);
      if (!saveDraft(readForm(schema, formEl))) draftText.textContent = "本浏览器不能保存草稿，请在关闭页面前导出申请书文件。";
    });
    document.getElementById("ipw-draft-clear").addEventListener("click", function () {
      dropDraft();
      formEl.reset();
      showProblems(schema, formEl, {});
      updateCounters(schema, formEl);
      enable(false);
      draftText.textContent = "草稿已清除，表单已清空。";
    });
    document.getElementById("ipw-load").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var application;
        try {
          application = parseExport(schema, text);
        } catch (e) {
          loadStatus.textContent = "文件「" + file.name + "」不是本页面导出的申请书文件（.json），未载入。";
          return;
        }
        fillForm(schema, formEl, application);
        updateCounters(schema, formEl);
        saveDraft(readForm(schema, formEl));
        loadStatus.textContent = "已载入「" + file.name + "」，可以修改后重新检查、导出和打印。";
        if (!check(true)) enable(false);
      });
    });
    if (online) {
      onlineButton.addEventListener("click", function () {
        if (!check()) return;
        submitOnline(schema, online, result.clean, function (text) {
          document.getElementById("ipw-status").textContent = text;
        });
      });
    }
  }

  var api = {
    checkApplication: checkApplication,
    checkField: function (schema, key, raw) {
      return checkField(schema, schema.fields.filter(function (f) { return f.key === key; })[0], raw);
    },
    checkUscc: checkUscc,
    checkPhone: checkPhone,
    checkEmail: checkEmail,
    checkDate: checkDate,
    message: message,
    Problem: Problem
  };
  window.ipwForm = api;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
