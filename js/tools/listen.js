'use strict';
// Starts a node:http server on loopback and keeps track of its sockets, so that close() also ends
// keep-alive connections (which would otherwise hold the process open). Shared by the sample
// tenant, the sample Verify service and the playground server.

/** @returns {Promise<{origin: string, close: () => Promise<void>}>} origin 'http://HOST:PORT'. */
async function listen(server, port, host) {
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that sends garbage must not leave an error event unhandled.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  return {
    origin: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

module.exports = { listen };
