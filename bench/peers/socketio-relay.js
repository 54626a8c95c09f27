'use strict';
// The minimal Socket.IO relay: every line of the feed is emitted to all clients as event "e"
// with the line as its one (string) argument, so the packet is encoded once per event and the
// same bytes are written to every client (Socket.IO's broadcast). WebSocket transport only, as
// a load test's clients would use; no polling. Prints "listening PORT" when ready.
const http = require('http');
const { Server } = require('socket.io');
const { args, follow } = require('./feed');

const { feed, port } = args();
const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
server.listen(port, '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
  follow(feed, (line) => io.emit('e', line));
});
