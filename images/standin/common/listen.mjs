// Binds the host's Tars address like the real servers; a DOMAIN that is not a local address falls back to all
// interfaces so the container still serves.
export function listen(server, port, host, log) {
  return new Promise((resolve, reject) => {
    const attempt = (address) => {
      const onError = (err) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRNOTAVAIL' && address !== '0.0.0.0') {
          log.warn(`${address}:${port} is not a local address, listening on 0.0.0.0:${port}`);
          attempt('0.0.0.0');
        } else {
          reject(err);
        }
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, address);
    };
    attempt(host);
  });
}
