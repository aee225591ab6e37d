// Email template admin: the preview follows the form as typed (not as saved),
// and "Send a test to me" mails the current text to the staff member.
(function () {
  "use strict";
  var box = document.getElementById("email-template-help");
  if (!box) return;
  var form = document.getElementById("emailtemplate_form");
  if (!form) return;
  var subject = document.getElementById("preview-subject");
  var text = document.getElementById("preview-text");
  var html = document.getElementById("preview-html");
  var error = document.getElementById("preview-error");
  var result = document.getElementById("send-test-result");
  var timer = null;

  function post(url) {
    var data = new FormData(form);
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
  }

  function showErrors(body) {
    var messages = [];
    var errors = body.errors || {};
    Object.keys(errors).forEach(function (field) {
      errors[field].forEach(function (message) { messages.push(message); });
    });
    if (body.error) messages.push(body.error);
    error.textContent = messages.join(" ");
    error.hidden = messages.length === 0;
  }

  function refresh() {
    post(box.dataset.previewUrl).then(function (reply) {
      if (!reply.ok) { showErrors(reply.body); return; }
      showErrors({});
      subject.textContent = reply.body.subject;
      text.textContent = reply.body.text;
      html.hidden = !reply.body.html;
      html.srcdoc = reply.body.html || "";
    });
  }

  ["id_kind", "id_language", "id_subject", "id_text_body", "id_html_body"].forEach(
    function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(refresh, 400);
      });
      field.addEventListener("change", refresh);
    }
  );

  document.getElementById("send-test").addEventListener("click", function () {
    result.textContent = "";
    post(box.dataset.sendTestUrl).then(function (reply) {
      if (!reply.ok) { showErrors(reply.body); return; }
      showErrors({});
      result.textContent = reply.body.message;
    });
  });

  if (document.getElementById("id_kind") && document.getElementById("id_kind").value) {
    refresh();
  }
})();
