/**
 * The console's only script, served at /app.js. Pages are rendered by the API for the signed-in
 * user; this script carries the user's token to the API (API Gateway's JWT authorizer reads it
 * from the Authorization header, which a plain link or form cannot send), and does the uploads.
 * Kept small and dependency-free: village offices have slow connections and old browsers.
 */
export const APP_SCRIPT = String.raw`'use strict';
(function () {
  var KEY = 'jaring.token';
  var ACTIONS = 'jaring.actions';
  var token = function () { return sessionStorage.getItem(KEY); };
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var show = function (el, text, isError) { if (!el) return; el.textContent = text; el.className = isError ? 'msg error' : 'msg'; };
  var toSignIn = function () { location.href = '/masuk?next=' + encodeURIComponent(location.pathname + location.search); };
  // Only this site's own addresses ever get the token: '//host' or '/\host' would be another site.
  var ownPath = function (path) {
    if (typeof path !== 'string' || /^\/[\/\\]/.test(path) || /[\\\s]/.test(path)) return null;
    var url = new URL(path, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : null;
  };

  function api(path, init) {
    path = ownPath(path);
    if (!path) return Promise.reject(new Error('Alamat tidak dikenal.'));
    init = init || {};
    init.headers = Object.assign({ authorization: 'Bearer ' + token() }, init.headers || {});
    return fetch(path, init).then(function (res) {
      if (res.status === 401) { sessionStorage.removeItem(KEY); sessionStorage.removeItem(ACTIONS); toSignIn(); throw new Error('Sesi berakhir, silakan masuk lagi.'); }
      return res;
    });
  }
  function answer(res) {
    return res.text().then(function (text) {
      var body; try { body = JSON.parse(text); } catch (e) { body = { message: text }; }
      if (!res.ok) throw new Error(body.message || ('Gagal (' + res.status + ')'));
      return body;
    });
  }

  // Sign-in page.
  var signin = $('form[data-signin]');
  if (signin) {
    signin.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var out = $('.msg', signin);
      var data = { username: signin.username.value, password: signin.password.value };
      if (signin.newPassword && signin.newPassword.value) { data.newPassword = signin.newPassword.value; data.session = signin.dataset.session; }
      show(out, 'Memeriksa ...');
      fetch('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) })
        .then(answer)
        .then(function (body) {
          if (body.challenge === 'NEW_PASSWORD_REQUIRED') {
            signin.dataset.session = body.session;
            $('.new-password', signin).hidden = false;
            show(out, body.message);
            return;
          }
          sessionStorage.setItem(KEY, body.idToken);
          sessionStorage.removeItem(ACTIONS);
          var next = ownPath(new URLSearchParams(location.search).get('next'));
          location.href = next && next.indexOf('/app/') === 0 && ownPath(next.slice(4)) ? next : '/app/home';
        })
        .catch(function (e) { show(out, e.message, true); });
    });
    return;
  }

  // Every other page is /app/<path>: the API's page at /<path>, fetched with the token.
  if (location.pathname.indexOf('/app/') !== 0) return;
  if (!token()) return toSignIn();
  var target = ownPath(location.pathname.slice(4) + location.search);
  if (!target) { show($('#main'), 'Alamat tidak dikenal.', true); return; }
  offer();
  api(target, { headers: { accept: 'text/html' } })
    .then(function (res) { return res.text(); })
    .then(function (text) {
      var doc = new DOMParser().parseFromString(text, 'text/html');
      document.title = doc.title || document.title;
      var main = $('#main');
      main.replaceChildren.apply(main, Array.prototype.slice.call(doc.body.childNodes));
      wire(main);
      charts(main);
    })
    .catch(function (e) { show($('#main'), e.message, true); });

  // The navigation's links that need an action (data-needs) stay only for a user the policy lets do it:
  // GET /me names the actions, asked once per sign-in; the others are removed, and all of them if it fails.
  function offer() {
    var links = document.querySelectorAll('header nav [data-needs]');
    if (!links.length) return;
    var keep = function (actions) {
      Array.prototype.forEach.call(links, function (a) { if (actions.indexOf(a.dataset.needs) >= 0) a.hidden = false; else a.remove(); });
    };
    var known = sessionStorage.getItem(ACTIONS);
    if (known) return keep(JSON.parse(known));
    api('/me', { headers: { accept: 'application/json' } }).then(answer)
      .then(function (me) { var actions = me.actions || []; sessionStorage.setItem(ACTIONS, JSON.stringify(actions)); keep(actions); })
      .catch(function () { keep([]); });
  }

  // The dashboard: Chart.js (served by this site) draws each canvas from the chart specs in the page's
  // JSON block; without it the tables beside the canvases carry the same figures.
  function charts(root) {
    var block = $('#dashboard-charts', root);
    if (!block) return;
    var specs = JSON.parse(block.textContent);
    var colours = ['#0b57d0', '#9db8e8', '#1b7f3b'];
    var number = function (v, money) { return (money ? 'Rp' : '') + Number(v).toLocaleString('id-ID'); };
    function draw() {
      specs.forEach(function (s) {
        var canvas = root.querySelector('canvas[data-chart="' + CSS.escape(s.id) + '"]');
        if (!canvas) return;
        var value = { stacked: s.stacked, beginAtZero: true, ticks: { callback: function (v) { return number(v, s.money); } } };
        new Chart(canvas, {
          type: 'bar',
          data: { labels: s.labels, datasets: s.datasets.map(function (d, i) { return { label: d.label, data: d.data, backgroundColor: colours[i % colours.length] }; }) },
          options: {
            animation: false, responsive: true, maintainAspectRatio: false, indexAxis: s.horizontal ? 'y' : 'x',
            scales: s.horizontal ? { x: value, y: { stacked: s.stacked } } : { x: { stacked: s.stacked }, y: value },
            plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + number(s.horizontal ? c.parsed.x : c.parsed.y, s.money); } } } }
          }
        });
      });
      // A printed page is narrower than the screen: each chart redraws to the paper's width and back.
      var resize = function () { Object.keys(Chart.instances).forEach(function (k) { Chart.instances[k].resize(); }); };
      addEventListener('beforeprint', resize);
      addEventListener('afterprint', resize);
    }
    if (window.Chart) return draw();
    var script = document.createElement('script');
    script.src = '/vendor/chart.js';
    script.onload = draw;
    document.head.appendChild(script);
  }

  function wire(root) {
    var signout = $('#signout');
    if (signout) signout.addEventListener('click', function () { sessionStorage.removeItem(KEY); sessionStorage.removeItem(ACTIONS); location.href = '/masuk'; });
    root.addEventListener('click', function (ev) {
      var f = ev.target.closest('a[data-download-file]');
      if (f) {
        ev.preventDefault();
        api(f.getAttribute('href')).then(function (res) { if (!res.ok) throw new Error('Gagal mengunduh (' + res.status + ')'); return res.blob(); })
          .then(function (blob) {
            var link = document.createElement('a');
            link.href = URL.createObjectURL(blob);
            link.download = f.dataset.downloadFile;
            document.body.appendChild(link); link.click(); link.remove();
          })
          .catch(function (e) { alert(e.message); });
        return;
      }
      var a = ev.target.closest('a[data-download]');
      if (!a) return;
      ev.preventDefault();
      api(a.getAttribute('href'), { headers: { accept: 'application/json' } }).then(answer)
        .then(function (body) { location.href = body.url; })
        .catch(function (e) { alert(e.message); });
    });
    Array.prototype.forEach.call(root.querySelectorAll('form[data-action]'), function (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
        var fields = {}; new FormData(form).forEach(function (v, k) { fields[k] = v; });
        api(form.dataset.action, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(fields) })
          .then(answer).then(function (body) {
            alert(body.message || 'Selesai.');
            // A filing answers with its new page (a claim); everything else is shown again where it is.
            var next = body.links && ownPath(body.links.page);
            if (next && next !== location.pathname + location.search) location.href = next; else location.reload();
          })
          .catch(function (e) { alert(e.message); });
      });
    });
    // A claim's document: a presigned PUT for claims/<claimId>/<type>/<file>, then the page again.
    var doc = $('form[data-claim-document]', root);
    if (doc) doc.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var out = $('.msg', doc);
      var file = doc.file.files[0];
      if (!file) return show(out, 'Pilih berkas terlebih dahulu.', true);
      show(out, 'Menyiapkan unggahan ...');
      api(doc.dataset.claimDocument, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ documentType: doc.documentType.value, fileName: file.name }) })
        .then(answer)
        .then(function (grant) {
          show(out, 'Mengunggah ' + file.name + ' ...');
          return fetch(grant.url, { method: 'PUT', headers: grant.headers, body: file });
        })
        .then(function (res) {
          if (!res.ok) throw new Error('Unggahan ditolak penyimpanan (' + res.status + '). Coba lagi.');
          show(out, 'Dokumen terkirim. Daftar dokumen diperbarui sebentar lagi.');
          setTimeout(function () { location.reload(); }, 2000);
        })
        .catch(function (e) { show(out, e.message, true); });
    });
    var upload = $('form[data-upload]', root);
    if (upload) upload.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var out = $('.msg', upload);
      var file = upload.file.files[0];
      if (!file) return show(out, 'Pilih berkas terlebih dahulu.', true);
      var request = { programmeId: upload.programmeId.value, villageCode: upload.villageCode.value, fileName: file.name };
      show(out, 'Menyiapkan unggahan ...');
      api('/uploads', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(request) })
        .then(answer)
        .then(function (grant) {
          show(out, 'Mengunggah ' + file.name + ' ...');
          return fetch(grant.url, { method: 'PUT', headers: grant.headers, body: file }).then(function (res) {
            if (!res.ok) throw new Error('Unggahan ditolak penyimpanan (' + res.status + '). Coba lagi.');
            return grant;
          });
        })
        .then(function (grant) {
          show(out, 'Berkas terkirim. Menunggu pencatatan ...');
          var tries = 0;
          (function poll() {
            api('/proposals?uploadKey=' + encodeURIComponent(grant.uploadKey), { headers: { accept: 'application/json' } })
              .then(function (res) {
                if (res.status === 404 && ++tries < 60) return setTimeout(poll, 1000);
                return answer(res).then(function (p) { location.href = '/app/proposals/' + p.id; });
              })
              .catch(function (e) { show(out, e.message, true); });
          })();
        })
        .catch(function (e) { show(out, e.message, true); });
    });
  }
})();
`;
