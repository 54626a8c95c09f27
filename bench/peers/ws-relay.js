'use strict';
// The minimal `ws` relay: every line of the feed goes to every open client as one text frame,
// the line converted to bytes once per event (ws then frames it per client, as its own
// broadcast example does). Prints "listening PORT" when ready.
const { WebSocketServer, WebSocket } = require('ws');
const { args, follow } = require('./feed');

const { feed, port } = args();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('listening', () => {
  console.log('listening ' + wss.address().port);
  follow(feed, (line) => {
    const data = Buffer.from(line);
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
    }
  });
});
