'use strict';
// Shared by both relays: parses --feed HOST:PORT and --port N, connects to the bench's feeder
// and calls onLine for every line (without its newline). The relay exits when the feed closes,
// so a relay never outlives the bench that started it.
const net = require('net');

function args() {
  const out = { feed: null, port: 0 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] === '--feed') out.feed = a[i + 1];
    else if (a[i] === '--port') out.port = Number(a[i + 1]);
    else throw new Error('unknown argument ' + a[i] + ' (expected --feed HOST:PORT --port N)');
  }
  if (!out.feed) throw new Error('--feed HOST:PORT is required');
  return out;
}

function follow(feed, onLine) {
  const [host, port] = feed.split(':');
  const socket = net.connect(Number(port), host);
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (line.length > 0) onLine(line);
  });
  socket.on('error', (e) => { console.error('feed: ' + e.message); process.exit(1); });
  socket.on('close', () => process.exit(0));
}

module.exports = { args, follow };
