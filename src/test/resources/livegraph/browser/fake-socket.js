// Test double for PageIT, loaded (deferred, after Plotly, before app.js) only by the test's
// copy of index.html. Replaces window.WebSocket with a socket the test drives from Java,
// and counts Plotly.newPlot / Plotly.react calls per chart div.
(function () {
  'use strict';
  var registry = { sockets: [], urls: [], sent: [], plotCalls: { newPlot: {}, react: {}, animate: {} } };

  class FakeSocket extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      this.readyState = 0;
      registry.sockets.push(this);
      registry.urls.push(url);
    }
    send(text) { registry.sent.push(JSON.parse(text)); }
    close() { this.serverClose(); }
    serverOpen() { this.readyState = 1; this.dispatchEvent(new Event('open')); }
    serverSend(text) { this.dispatchEvent(new MessageEvent('message', { data: text })); }
    serverClose(code, reason) {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatchEvent(new CloseEvent('close', { code: code || 1006, reason: reason || '' }));
    }
  }
  FakeSocket.CONNECTING = 0;
  FakeSocket.OPEN = 1;
  FakeSocket.CLOSING = 2;
  FakeSocket.CLOSED = 3;

  registry.current = function () { return registry.sockets[registry.sockets.length - 1]; };
  window.WebSocket = FakeSocket;
  window.fakeWs = registry;

  ['newPlot', 'react', 'animate'].forEach(function (name) {
    var original = window.Plotly[name];
    window.Plotly[name] = function (div) {
      var calls = registry.plotCalls[name];
      calls[div.id] = (calls[div.id] || 0) + 1;
      return original.apply(this, arguments);
    };
  });
})();
