// Live reload for pages served by `site serve`.
//
// The server tells this page, over server-sent events, what became of it
// after each build of the site (see serve/reload.go):
//
//   reload       the page changed: reload it, or go to data.url when the
//                page is gone (renamed, deleted)
//   css          only stylesheets changed: swap each stylesheet link whose
//                path is data.swaps[i].from for .to, without reloading
//   build-error  the build failed: show data.message over the page
//   build-ok     the site builds again: remove the message
//
// The script tag's data-key names the version of the page; the server
// compares it with its own whenever the stream opens, so a page that
// missed a build, or outlived a restart of the server, is brought up to
// date then. No inline script and no inline style: the page's
// Content-Security-Policy (default-src 'self') holds.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !window.EventSource || !window.URL) {
    return;
  }
  var base = new URL('.', me.src); // the directory of this script
  var stream = new URL('events', base);
  stream.searchParams.set('path', location.pathname);
  stream.searchParams.set('key', me.getAttribute('data-key') || '');

  var leaving = false;
  function go(url) {
    if (leaving) {
      return;
    }
    leaving = true;
    if (url) {
      location.replace(url);
    } else {
      location.reload();
    }
  }

  function styles() {
    if (!document.querySelector('link[data-site-preview]')) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = new URL('preview.css', base).pathname;
      link.setAttribute('data-site-preview', '');
      document.head.appendChild(link);
    }
  }

  var overlay = null;
  function showError(message) {
    styles();
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.className = 'site-preview-error';
      overlay.setAttribute('role', 'alert');
      var title = document.createElement('p');
      title.className = 'site-preview-error-title';
      title.textContent = 'The site does not build. This page is the last version that did.';
      var text = document.createElement('pre');
      text.className = 'site-preview-error-message';
      overlay.appendChild(title);
      overlay.appendChild(text);
      document.body.appendChild(overlay);
    }
    overlay.querySelector('pre').textContent = message;
  }
  function clearError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // swapCSS puts each new stylesheet beside the old one and removes the
  // old one once the new one has loaded, so the page never shows
  // unstyled. A stylesheet not found, or failing to load, reloads.
  function swapCSS(swaps) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var found = 0;
    swaps.forEach(function (swap) {
      links.forEach(function (link) {
        if (new URL(link.href, location.href).pathname !== swap.from) {
          return;
        }
        found++;
        var next = link.cloneNode(false);
        next.addEventListener('load', function () { link.remove(); });
        next.addEventListener('error', function () { go(); });
        next.href = swap.to;
        link.after(next);
      });
    });
    if (!found) {
      go();
    }
  }

  function data(e) {
    return JSON.parse(e.data || '{}');
  }

  function connect() {
    var es = new EventSource(stream);
    es.addEventListener('reload', function (e) { go(data(e).url); });
    es.addEventListener('css', function (e) { swapCSS(data(e).swaps || []); });
    es.addEventListener('build-error', function (e) { showError(data(e).message); });
    es.addEventListener('build-ok', clearError);
    es.onerror = function () {
      // While the stream is CONNECTING the browser retries by itself
      // (after a restart, say); a CLOSED stream it has given up on.
      if (es.readyState === EventSource.CLOSED && !leaving) {
        setTimeout(connect, 1000);
      }
    };
    window.addEventListener('pagehide', function () { es.close(); }, { once: true });
  }
  connect();
})();
