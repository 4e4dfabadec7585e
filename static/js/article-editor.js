// Progressive enhancement for the article form in the admin: the preview beside the body box
// follows the editor's typing. The server renders the text with the public page's renderer
// and sanitiser (POST to the preview endpoint, with the form's CSRF token) and measures its
// reading grade. Without JavaScript the preview shows the text the page opened with.
(function () {
  "use strict";
  var WAIT_MS = 400;

  function enhance(editor) {
    var url = editor.getAttribute("data-preview-url");
    var box = editor.querySelector("textarea");
    var article = editor.querySelector(".body-preview-article");
    var grade = editor.querySelector(".reading-grade");
    var problems = editor.querySelector(".body-preview-problems");
    var note = editor.querySelector(".body-preview-note");
    var token = box.form && box.form.querySelector("input[name='csrfmiddlewaretoken']");
    if (!url || !token) {
      return;
    }
    note.textContent = note.getAttribute("data-live-text");
    var timer = null;
    var pending = null;

    function showProblems(messages) {
      problems.replaceChildren();
      messages.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        problems.appendChild(item);
      });
      problems.hidden = messages.length === 0;
    }

    function refresh() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var data = new FormData();
      data.append("body", box.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
        signal: pending.signal,
      })
        .then(function (response) {
          var json = response.headers.get("Content-Type") === "application/json";
          if (!json || (!response.ok && response.status !== 400)) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (result) {
          if (result.errors) {
            showProblems(result.errors);
            return;
          }
          showProblems([]);
          // Sanitised on the server by the same allow-list as the public page.
          article.innerHTML = result.html;
          grade.textContent = result.grade;
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            showProblems([note.getAttribute("data-failed-text")]);
          }
        });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, WAIT_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".body-editor").forEach(enhance);
  });
})();
