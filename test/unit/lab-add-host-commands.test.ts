// The command lines `lab add-host` prints: every flag each endpoint kind needs, and lines a shell reads back as the same argv.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { scaleAddHostCommands, shellLine } from '../../src/lab/index.js';

const host = {
  name: 'h5',
  address: '10.213.7.15',
  endpoints: { unix: 'unix:///lab/hosts/h5/docker.sock', tcp: 'tcp://10.213.7.15:2376', ssh: 'ssh://root@10.213.7.15:22' },
};

describe('lab add-host command lines', () => {
  it('carry the lab config, the address for unix, the TLS files for tcp and the key for ssh', () => {
    const c = scaleAddHostCommands('/lab', host);
    const head = 'tars-docker --env-file /lab/.env --inventory /lab/tars-docker.yml scale add-host';
    assert.deepEqual(Object.fromEntries(Object.entries(c).map(([k, argv]) => [k, shellLine(argv)])), {
      unix: `${head} unix:///lab/hosts/h5/docker.sock --address 10.213.7.15 --role node`,
      tcp: `${head} tcp://10.213.7.15:2376 --tls-ca /lab/certs/ca.pem --tls-cert /lab/certs/client-cert.pem --tls-key /lab/certs/client-key.pem --role node`,
      ssh: `${head} ssh://root@10.213.7.15:22 --identity-file /lab/ssh/id_ed25519 --role node`,
    });
  });

  it('quotes what a shell would split or expand', () => {
    const argv = ['a b', "it's", '$HOME', 'plain/path:1'];
    const line = shellLine(argv);
    assert.equal(line, `'a b' 'it'\\''s' '$HOME' plain/path:1`);
    const back = execFileSync('sh', ['-c', `printf '%s\\n' ${line}`], { encoding: 'utf8' });
    assert.deepEqual(back.trimEnd().split('\n'), argv);
  });
});
