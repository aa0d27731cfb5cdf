// The bad-input corpus (issue #10), as data: each case is a command line, the files it needs, the exit code and
// the one-line message it must give. test/lab/bad-input.test.ts runs every case through the real CLI against the
// shared lab, with and without --json, and proves that nothing changed.
//
// Placeholders, in args and file contents: {dir} the case's own folder, {lab} the lab folder, {running} the
// master's version, {older}/{newer} good lab versions below/above it, {address:H} and {endpoint:H} of lab host H,
// {registryHost} the address of the lab registries (plain on :5000, basic auth on :5001).

/** A `.env`: the lab's with keys set (replaced in place, else appended), dropped, and raw lines appended; or `text`. */
export interface EnvSpec {
  text?: string;
  set?: Record<string, string>;
  drop?: string[];
  lines?: string[];
}

type Path = (string | number)[];

/** A `tars-docker.yml`: the lab's with values set or deleted at YAML paths; or `text`. */
export interface InventorySpec {
  text?: string;
  set?: [Path, unknown][];
  drop?: Path[];
}

export interface BadInputCase {
  name: string;
  /** After the global --env-file {dir}/.env --inventory {dir}/tars-docker.yml (unless args give their own). */
  args: string[];
  env?: EnvSpec;
  inventory?: InventorySpec;
  /** More files under {dir}: relative path → content. */
  files?: Record<string, string>;
  /** A tmpfs mounted at {dir}/mnt: read-only, or with no space left. */
  mount?: 'read-only' | 'full';
  exit: number;
  /** The one line on stderr (and error.message under --json) must match. */
  message: RegExp;
  /** The command would change hosts or databases if it went on: compare the whole state right after it. */
  mutating?: boolean;
  /** One of the items listed in issue #10 ("a lab test per item"). */
  issueItem?: boolean;
}

const UP = ['upgrade', '--to', '{newer}'];
const M = true;

const envCases: BadInputCase[] = [
  { name: 'env: file missing', args: ['--env-file', '{dir}/none.env', 'status'], exit: 2, message: /none\.env: cannot read env file \(ENOENT\)$/ },
  { name: 'env: file is a folder', args: ['--env-file', '{dir}', 'status'], exit: 2, message: /: cannot read env file \(EISDIR\)$/ },
  { name: 'env: empty file', env: { text: '' }, args: UP, exit: 2, message: /\.env: MYSQL_HOST is required$/, mutating: M, issueItem: true },
  { name: 'env: only comments', env: { text: '# nothing\n\n# here\n' }, args: ['status'], exit: 2, message: /\.env: MYSQL_HOST is required$/ },
  { name: 'env: a line that is not KEY=VALUE', env: { lines: ['this is not a setting'] }, args: ['status'], exit: 2, message: /\.env:\d+: not a KEY=VALUE line$/ },
  { name: 'env: a key with a dash', env: { lines: ['MYSQL-HOST=x'] }, args: ['check'], exit: 2, message: /\.env:\d+: not a KEY=VALUE line$/ },
  { name: 'env: unterminated double quote in the password', env: { set: { MYSQL_ROOT_PASSWORD: '"secret-without-end' } }, args: [...UP, '--yes'], exit: 2, message: /\.env:\d+: MYSQL_ROOT_PASSWORD opens a " quote that does not close the value on this line$/, mutating: M, issueItem: true },
  { name: 'env: unterminated single quote in MYSQL_HOST', env: { set: { MYSQL_HOST: "'10.213.7.1" } }, args: ['status'], exit: 2, message: /\.env:\d+: MYSQL_HOST opens a ' quote that does not close the value on this line$/ },
  { name: 'env: unterminated backquote in FRAMEWORK_IMAGE', env: { set: { FRAMEWORK_IMAGE: '`x' } }, args: ['check'], exit: 2, message: /\.env:\d+: FRAMEWORK_IMAGE opens a ` quote that does not close the value on this line$/ },
  { name: 'env: quote closed then text', env: { set: { MYSQL_USER: '"root" extra' } }, args: ['history'], exit: 2, message: /\.env:\d+: MYSQL_USER opens a " quote that does not close the value on this line$/ },
  { name: 'env: MYSQL_HOST set twice', env: { lines: ['MYSQL_HOST=10.213.7.99'] }, args: [...UP, '--yes'], exit: 2, message: /\.env:\d+: MYSQL_HOST is set twice \(also on line 1\); keep one$/, mutating: M, issueItem: true },
  { name: 'env: REBUILD set twice', env: { lines: ['REBUILD=false'] }, args: ['guard'], exit: 2, message: /\.env:\d+: REBUILD is set twice \(also on line \d+\); keep one$/ },
  { name: 'env: password set twice (export form)', env: { lines: ['export MYSQL_ROOT_PASSWORD=other'] }, args: ['backup', 'create'], exit: 2, message: /\.env:\d+: MYSQL_ROOT_PASSWORD is set twice/, mutating: M },
  { name: 'env: no MYSQL_ROOT_PASSWORD', env: { drop: ['MYSQL_ROOT_PASSWORD'] }, args: [...UP, '--yes'], exit: 2, message: /\.env: MYSQL_ROOT_PASSWORD is not set \(write MYSQL_ROOT_PASSWORD= for a server without a password\)$/, mutating: M, issueItem: true },
  { name: 'env: no MYSQL_ROOT_PASSWORD (status)', env: { drop: ['MYSQL_ROOT_PASSWORD'] }, args: ['status'], exit: 2, message: /MYSQL_ROOT_PASSWORD is not set/ },
  { name: 'env: wrong MYSQL_ROOT_PASSWORD', env: { set: { MYSQL_ROOT_PASSWORD: 'wrong-password-123' } }, args: [...UP, '--yes'], exit: 1, message: /mysql \S+: .*Access denied/, mutating: M },
  { name: 'env: no MYSQL_HOST', env: { drop: ['MYSQL_HOST'] }, args: ['history'], exit: 2, message: /\.env: MYSQL_HOST is required$/ },
  { name: 'env: empty MYSQL_HOST', env: { set: { MYSQL_HOST: '' } }, args: ['status'], exit: 2, message: /\.env: MYSQL_HOST is required$/ },
  { name: 'env: MYSQL_HOST with spaces', env: { set: { MYSQL_HOST: 'not a host' } }, args: [...UP, '--yes'], exit: 2, message: /\.env: MYSQL_HOST must be an IP address or a DNS name$/, mutating: M, issueItem: true },
  { name: 'env: MYSQL_HOST 999.1.2.3', env: { set: { MYSQL_HOST: '999.1.2.3' } }, args: ['status'], exit: 2, message: /\.env: MYSQL_HOST must be an IP address or a DNS name$/ },
  { name: 'env: MYSQL_HOST with a port', env: { set: { MYSQL_HOST: '10.213.7.1:3306' } }, args: ['migrate', 'plan', '--to', '{running}'], exit: 2, message: /\.env: MYSQL_HOST must be an IP address or a DNS name$/ },
  { name: 'env: MYSQL_HOST a URL', env: { set: { MYSQL_HOST: 'mysql://10.213.7.1' } }, args: ['backup', 'create'], exit: 2, message: /MYSQL_HOST must be an IP address or a DNS name$/, mutating: M },
  { name: 'env: MYSQL_PORT not a number', env: { set: { MYSQL_PORT: 'abc' } }, args: ['status'], exit: 2, message: /\.env: MYSQL_PORT must be a port number \(1-65535\)$/ },
  { name: 'env: MYSQL_PORT 0', env: { set: { MYSQL_PORT: '0' } }, args: [...UP, '--yes'], exit: 2, message: /MYSQL_PORT must be a port number/, mutating: M },
  { name: 'env: MYSQL_PORT 70000', env: { set: { MYSQL_PORT: '70000' } }, args: ['history'], exit: 2, message: /MYSQL_PORT must be a port number/ },
  { name: 'env: MYSQL_PORT negative', env: { set: { MYSQL_PORT: '-1' } }, args: ['check'], exit: 2, message: /MYSQL_PORT must be a port number/ },
  { name: 'env: MYSQL_PORT empty', env: { set: { MYSQL_PORT: '' } }, args: ['status'], exit: 2, message: /MYSQL_PORT must be a port number/ },
  { name: 'env: MYSQL_USER empty', env: { set: { MYSQL_USER: '' } }, args: ['status'], exit: 2, message: /\.env: MYSQL_USER must not be empty$/ },
  { name: 'env: FRAMEWORK_IMAGE in capitals', env: { set: { FRAMEWORK_IMAGE: 'TarsCloud/Framework' } }, args: [...UP, '--yes'], exit: 2, message: /\.env: FRAMEWORK_IMAGE "TarsCloud\/Framework" must be an image repository without tag or digest/, mutating: M, issueItem: true },
  { name: 'env: FRAMEWORK_IMAGE with a tag', env: { set: { FRAMEWORK_IMAGE: 'tarscloud/framework:v3.0.16' } }, args: ['check'], exit: 2, message: /\.env: FRAMEWORK_IMAGE "tarscloud\/framework:v3\.0\.16" must be an image repository without tag/ },
  { name: 'env: FRAMEWORK_IMAGE empty', env: { set: { FRAMEWORK_IMAGE: '' } }, args: ['status'], exit: 2, message: /\.env: FRAMEWORK_IMAGE "" must be an image repository/ },
  { name: 'env: FRAMEWORK_IMAGE with a space', env: { set: { FRAMEWORK_IMAGE: 'tars cloud/framework' } }, args: ['install', '--version', '{running}'], exit: 2, message: /\.env: FRAMEWORK_IMAGE "tars cloud\/framework" must be/, mutating: M },
  { name: 'env: NODE_IMAGE with a digest', env: { set: { NODE_IMAGE: 'tarscloud/tars-node@sha256:abc' } }, args: ['check'], exit: 2, message: /\.env: NODE_IMAGE "tarscloud\/tars-node@sha256:abc" must be an image repository/ },
  { name: 'env: NODE_IMAGE with a bad path', env: { set: { NODE_IMAGE: 'tarscloud//tars-node' } }, args: [...UP, '--yes'], exit: 2, message: /\.env: NODE_IMAGE "tarscloud\/\/tars-node" must be/, mutating: M },
  { name: 'env: NODE_TAG not a tag', env: { set: { NODE_TAG: 'not a tag!' } }, args: ['check'], exit: 2, message: /\.env: NODE_TAG must be an image tag/ },
  { name: 'env: REGISTRY_INSECURE with a bad CIDR', env: { set: { REGISTRY_INSECURE: '10.213.7.0/40' } }, args: ['check'], exit: 2, message: /\.env: REGISTRY_INSECURE entry "10\.213\.7\.0\/40" is not a host, host:port or IPv4 CIDR$/, issueItem: true },
  { name: 'env: REGISTRY_INSECURE with a bad host', env: { set: { REGISTRY_INSECURE: '10.213.7.1:5000,bad host' } }, args: [...UP, '--yes'], exit: 2, message: /\.env: REGISTRY_INSECURE entry "bad host" is not a host/, mutating: M },
  { name: 'env: REGISTRY_INSECURE with a bad port', env: { set: { REGISTRY_INSECURE: 'registry.local:99999' } }, args: ['status'], exit: 2, message: /REGISTRY_INSECURE entry "registry\.local:99999"/ },
  { name: 'env: REGISTRY_INSECURE with an IPv6 CIDR', env: { set: { REGISTRY_INSECURE: 'fd00::/64' } }, args: ['check'], exit: 2, message: /REGISTRY_INSECURE entry "fd00::\/64"/ },
  { name: 'env: REGISTRY_MIRROR not a host', env: { set: { REGISTRY_MIRROR: 'ftp://mirror' } }, args: ['check'], exit: 2, message: /\.env: REGISTRY_MIRROR must be a registry host\[:port\] or an http\(s\) URL$/ },
  { name: 'env: REGISTRY_MIRROR with spaces', env: { set: { REGISTRY_MIRROR: 'my mirror' } }, args: ['watch', '--once', '--state', '{dir}/w.json'], exit: 2, message: /REGISTRY_MIRROR must be a registry host/ },
  { name: 'env: REBUILD=true refuses upgrade', env: { set: { REBUILD: 'true' } }, args: [...UP, '--yes'], exit: 3, message: /guard: .*\.env:\d+: REBUILD=true would drop/, mutating: M },
  { name: 'env: REBUILD=yes refuses upgrade', env: { set: { REBUILD: 'yes' } }, args: [...UP, '--yes'], exit: 3, message: /guard: .*REBUILD="yes" is not false/, mutating: M },
  { name: 'env: REBUILD=TRUE refuses rollback', env: { set: { REBUILD: 'TRUE' } }, args: ['rollback', '--to', '{older}', '--yes'], exit: 3, message: /guard: .*REBUILD="TRUE" is not false/, mutating: M },
  { name: 'env: REBUILD=true in guard', env: { set: { REBUILD: 'true' } }, args: ['guard'], exit: 3, message: /guard: .*\.env:\d+: REBUILD=true would drop/ },
  { name: 'env: REBUILD=true refuses install', env: { set: { REBUILD: 'true' } }, args: ['install', '--version', '{running}'], exit: 3, message: /guard: .*REBUILD=true/, mutating: M },
];

const host = (i: number, ...rest: (string | number)[]): Path => ['hosts', i, ...rest];

const inventoryCases: BadInputCase[] = [
  { name: 'inventory: file missing', args: ['--inventory', '{dir}/none.yml', 'status'], exit: 2, message: /none\.yml: cannot read inventory \(ENOENT\)$/ },
  { name: 'inventory: file is a folder', args: ['--inventory', '{dir}', 'status'], exit: 2, message: /: cannot read inventory \(EISDIR\)$/ },
  { name: 'inventory: not YAML', inventory: { text: 'hosts: [\n  - name: a\n' }, args: ['status'], exit: 2, message: /tars-docker\.yml: not valid YAML: / },
  { name: 'inventory: empty', inventory: { text: '' }, args: [...UP, '--yes'], exit: 2, message: /tars-docker\.yml: is empty \(it needs hosts: with at least the master\)$/, mutating: M },
  { name: 'inventory: a scalar', inventory: { text: 'just text\n' }, args: ['status'], exit: 2, message: /tars-docker\.yml: \(top level\) must be a mapping, not the text "just text"$/ },
  { name: 'inventory: no hosts', inventory: { drop: [['hosts']] }, args: ['check'], exit: 2, message: /tars-docker\.yml: hosts is required$/ },
  { name: 'inventory: hosts a mapping', inventory: { set: [[['hosts'], { h1: 'x' }]] }, args: ['status'], exit: 2, message: /tars-docker\.yml: hosts must be a list, not a mapping$/ },
  { name: 'inventory: hosts empty', inventory: { set: [[['hosts'], []]] }, args: [...UP, '--yes'], exit: 2, message: /tars-docker\.yml: hosts must list at least one host$/, mutating: M },
  { name: 'inventory: unknown top-level key', inventory: { set: [[['colour'], 'blue']] }, args: ['status'], exit: 2, message: /tars-docker\.yml: \(top level\) has an unknown key "colour"$/ },
  { name: 'inventory: bad project', inventory: { set: [[['project'], 'Tars!']] }, args: ['status'], exit: 2, message: /tars-docker\.yml: project must be lowercase letters, digits, _ or -$/ },
  { name: 'inventory: host without name', inventory: { drop: [host(0, 'name')] }, args: ['status'], exit: 2, message: /tars-docker\.yml: hosts\[0\]\.name is required$/ },
  { name: 'inventory: host name with a space', inventory: { set: [[host(1, 'name'), 'web 2']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[1\]\.name must be a simple name/, mutating: M },
  { name: 'inventory: host name a number', inventory: { set: [[host(2, 'name'), 5]] }, args: ['status'], exit: 2, message: /hosts\[2\]\.name must be a string, not the number 5$/ },
  { name: 'inventory: unknown role', inventory: { set: [[host(1, 'role'), 'boss']] }, args: ['status'], exit: 2, message: /hosts\[1\]\.role must be one of master, slave, node \(found "boss"\)$/ },
  { name: 'inventory: no address', inventory: { drop: [host(3, 'address')] }, args: ['guard'], exit: 2, message: /hosts\[3\]\.address is required$/ },
  { name: 'inventory: address 999.1.1.1', inventory: { set: [[host(3, 'address'), '999.1.1.1']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[3\]\.address must be an IP address or a DNS name$/, mutating: M },
  { name: 'inventory: address with a leading dash', inventory: { set: [[host(2, 'address'), '-node.local']] }, args: ['status'], exit: 2, message: /hosts\[2\]\.address must be an IP address or a DNS name$/ },
  { name: 'inventory: address with a port', inventory: { set: [[host(0, 'address'), '{address:h1}:3000']] }, args: ['check'], exit: 2, message: /hosts\[0\]\.address must be an IP address or a DNS name$/ },
  { name: 'inventory: two hosts with one address', inventory: { set: [[host(3, 'address'), '{address:h3}']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[3\]\.address \S+ is already the address of h3$/, mutating: M },
  { name: 'inventory: two hosts with one name', inventory: { set: [[host(3, 'name'), 'h3']] }, args: ['status'], exit: 2, message: /hosts\[3\]\.name "h3" is listed twice$/ },
  { name: 'inventory: two masters', inventory: { set: [[host(1, 'role'), 'master']] }, args: [...UP, '--yes'], exit: 2, message: /tars-docker\.yml: hosts must have exactly one master \(found 2\)$/, mutating: M },
  { name: 'inventory: no master', inventory: { set: [[host(0, 'role'), 'slave']] }, args: ['status'], exit: 2, message: /hosts must have exactly one master \(found 0\)$/ },
  { name: 'inventory: unknown host key', inventory: { set: [[host(0, 'port'), 22]] }, args: ['status'], exit: 2, message: /hosts\[0\] has an unknown key "port"$/ },
  { name: 'inventory: no docker', inventory: { drop: [host(2, 'docker')] }, args: ['status'], exit: 2, message: /hosts\[2\]\.docker is required$/ },
  { name: 'inventory: empty endpoint', inventory: { set: [[host(0, 'docker', 'endpoint'), '']] }, args: ['status'], exit: 2, message: /hosts\[0\]\.docker\.endpoint / },
  { name: 'inventory: http endpoint', inventory: { set: [[host(0, 'docker', 'endpoint'), 'http://{address:h1}:2375']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[0\]\.docker endpoint "http:\/\/\S+" is not unix:\/\/PATH, tcp:\/\/HOST:PORT or ssh:\/\/USER@HOST\[:PORT\]$/, mutating: M },
  { name: 'inventory: unix endpoint without a path', inventory: { set: [[host(3, 'docker', 'endpoint'), 'unix://']] }, args: ['status'], exit: 2, message: /hosts\[3\]\.docker endpoint "unix:\/\/" has no socket path$/ },
  { name: 'inventory: tcp endpoint without tls', inventory: { drop: [host(1, 'docker', 'tls')] }, args: ['status'], exit: 2, message: /hosts\[1\]\.docker endpoint "tcp:\/\/\S+" needs tls: \{ca, cert, key\}/ },
  { name: 'inventory: tcp port 0', inventory: { set: [[host(1, 'docker', 'endpoint'), 'tcp://{address:h2}:0']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[1\]\.docker endpoint "tcp:\/\/\S+:0" has port 0; a port must be 1-65535$/, mutating: M, issueItem: true },
  { name: 'inventory: tcp port 65536', inventory: { set: [[host(1, 'docker', 'endpoint'), 'tcp://{address:h2}:65536']] }, args: ['status'], exit: 2, message: /hosts\[1\]\.docker endpoint "tcp:\/\/\S+:65536" has port 65536; a port must be 1-65535$/ },
  { name: 'inventory: ssh port 0', inventory: { set: [[host(2, 'docker', 'endpoint'), 'ssh://root@{address:h3}:0']] }, args: ['check'], exit: 2, message: /hosts\[2\]\.docker endpoint "ssh:\/\/root@\S+:0" has port 0; a port must be 1-65535$/, issueItem: true },
  { name: 'inventory: ssh port 99999', inventory: { set: [[host(2, 'docker', 'endpoint'), 'ssh://root@{address:h3}:99999']] }, args: [...UP, '--yes'], exit: 2, message: /has port 99999; a port must be 1-65535$/, mutating: M },
  { name: 'inventory: tls ca missing', inventory: { set: [[host(1, 'docker', 'tls', 'ca'), '{dir}/no-ca.pem']] }, args: ['status'], exit: 2, message: /hosts\[1\]\.docker\.tls\.ca \S+no-ca\.pem does not exist$/ },
  { name: 'inventory: tls key a folder', inventory: { set: [[host(1, 'docker', 'tls', 'key'), '{dir}']] }, args: [...UP, '--yes'], exit: 2, message: /hosts\[1\]\.docker\.tls\.key \S+ is not a regular file$/, mutating: M },
  { name: 'inventory: tls with an unknown key', inventory: { set: [[host(1, 'docker', 'tls', 'password'), 'x']] }, args: ['status'], exit: 2, message: /hosts\[1\]\.docker\.tls has an unknown key "password"$/ },
  { name: 'inventory: identity file missing', inventory: { set: [[host(2, 'docker', 'identityFile'), '{dir}/no-key']] }, args: ['status'], exit: 2, message: /hosts\[2\]\.docker\.identityFile \S+no-key does not exist$/ },
  { name: 'inventory: env a list', inventory: { set: [[host(3, 'env'), ['DOMAIN=x']]] }, args: ['status'], exit: 2, message: /hosts\[3\]\.env must be a mapping, not a list$/ },
  { name: 'inventory: env value a number', inventory: { set: [[host(3, 'env'), { DOMAIN: 5 }]] }, args: ['guard'], exit: 2, message: /hosts\[3\]\.env\.DOMAIN must be a string, not the number 5$/ },
  { name: 'inventory: REBUILD=true in a node host env blocks upgrade', inventory: { set: [[host(3, 'env'), { REBUILD: 'true' }]] }, args: UP, exit: 3, message: /guard: .*tars-docker\.yml.*REBUILD=true would drop .*\(reaches tars-node containers only\)/, mutating: M, issueItem: true },
  { name: 'inventory: REBUILD=true in a node host env blocks scale add-host', inventory: { set: [[host(2, 'env'), { REBUILD: 'true' }]] }, args: ['scale', 'add-host', 'unix://{dir}/dead.sock', '--role', 'node', '--address', '10.213.7.250', '--yes'], exit: 3, message: /guard: .*REBUILD=true/, mutating: M },
  { name: 'inventory: REBUILD=true in the master env', inventory: { set: [[host(0, 'env'), { REBUILD: 'true' }]] }, args: UP, exit: 3, message: /guard: .*REBUILD=true would drop/, mutating: M },
  { name: 'inventory: a host that cannot be reached', inventory: { set: [[host(3, 'docker', 'endpoint'), 'unix://{dir}/dead.sock']] }, args: [...UP, '--yes'], exit: 1, message: /h4: cannot reach Docker at unix:\/\/\S+dead\.sock/, mutating: M },
];

const globalCases: BadInputCase[] = [
  { name: 'cli: unknown command', args: ['frobnicate'], exit: 2, message: /unknown command 'frobnicate'/ },
  { name: 'cli: unknown global flag', args: ['--colour', 'status'], exit: 2, message: /unknown option '--colour'/ },
  { name: 'cli: --env-file without a value', args: ['status', '--env-file'], exit: 2, message: /option '--env-file <file>' argument missing/ },
  { name: 'cli: --inventory without a value', args: ['status', '--inventory'], exit: 2, message: /option '--inventory <file>' argument missing/ },
  { name: 'cli: status with an argument', args: ['status', 'h1'], exit: 2, message: /too many arguments for 'status'/ },
  { name: 'cli: status with an unknown flag', args: ['status', '--all'], exit: 2, message: /unknown option '--all'/ },
  { name: 'cli: history with an argument', args: ['history', 'last'], exit: 2, message: /too many arguments for 'history'/ },
  { name: 'cli: backup without subcommand', args: ['backup'], exit: 2, message: /^tars-docker: backup needs a subcommand: one of create, list, verify, restore$/, issueItem: true },
  { name: 'cli: backup with an unknown subcommand', args: ['backup', 'delete'], exit: 2, message: /backup has no subcommand "delete": one of create, list, verify, restore$/ },
  { name: 'cli: scale without subcommand', args: ['scale'], exit: 2, message: /scale needs a subcommand: one of add-host, remove-host$/ },
  { name: 'cli: scale with an unknown subcommand', args: ['scale', 'up'], exit: 2, message: /scale has no subcommand "up"/ },
  { name: 'cli: migrate without subcommand', args: ['migrate'], exit: 2, message: /migrate needs a subcommand: one of plan, apply, verify$/ },
  { name: 'cli: migrate with an unknown subcommand', args: ['migrate', 'run'], exit: 2, message: /migrate has no subcommand "run"/ },
  { name: 'cli: lab without subcommand', args: ['lab'], exit: 2, message: /lab needs a subcommand: one of up, add-host, down$/ },
  { name: 'cli: lab with an unknown subcommand', args: ['lab', 'restart'], exit: 2, message: /lab has no subcommand "restart"/ },
];

const checkCases: BadInputCase[] = [
  { name: 'check: --image bogus', args: ['check', '--image', 'bogus'], exit: 2, message: /--image must be framework, node or all \(got "bogus"\)$/ },
  { name: 'check: --include not a regex', args: ['check', '--include', '('], exit: 2, message: /--include "\(" is not a valid regular expression$/ },
  { name: 'check: --exclude not a regex', args: ['check', '--exclude', '[a-'], exit: 2, message: /--exclude "\[a-" is not a valid regular expression$/ },
  { name: "check: --exclude '.*' leaves no version", args: ['check', '--image', 'framework', '--exclude', '.*'], exit: 1, message: /no host could be compared with the registry: --exclude '\.\*' leaves none of the \d+ tags of \S+\/tarscloud\/framework/, issueItem: true },
  { name: 'check: --include that matches nothing', args: ['check', '--image', 'framework', '--include', '^v9\\.'], exit: 1, message: /no host could be compared with the registry: --include '\^v9\\\.' leaves none of the \d+ tags/ },
  { name: 'check: a repository the registry does not have', env: { set: { FRAMEWORK_IMAGE: '{registryHost}:5000/tarscloud/nothere' } }, args: ['check'], exit: 1, message: /registry \S+:5000: repository tarscloud\/nothere not found/, issueItem: true },
  { name: 'check: a registry that needs credentials', env: { set: { FRAMEWORK_IMAGE: '{registryHost}:5001/tarscloud/framework', NODE_IMAGE: '{registryHost}:5001/tarscloud/tars-node' } }, args: ['check'], exit: 1, message: /registry \S+:5001: requires credentials/, issueItem: true },
  { name: 'check: wrong registry credentials', env: { set: { FRAMEWORK_IMAGE: '{registryHost}:5001/tarscloud/framework', REGISTRY_USERNAME: 'nobody', REGISTRY_PASSWORD: 'wrong-registry-pass' } }, args: ['check', '--image', 'framework'], exit: 1, message: /registry \S+:5001: / },
  { name: 'check: hosts run another repository than the one checked', env: { set: { FRAMEWORK_IMAGE: '{registryHost}:5000/tarscloud/tars-node' } }, args: ['check', '--image', 'framework'], exit: 1, message: /no host could be compared with the registry: h1: image \S+\/tarscloud\/framework is not one of the checked images; h2: /, issueItem: true },
  { name: 'check: a registry nobody listens on', env: { set: { FRAMEWORK_IMAGE: '{registryHost}:5999/tarscloud/framework' } }, args: ['check', '--image', 'framework'], exit: 1, message: /registry \S+:5999: / },
  { name: 'check: a host that cannot be reached', inventory: { set: [[host(3, 'docker', 'endpoint'), 'unix://{dir}/dead.sock']] }, args: ['check'], exit: 1, message: /cannot read h4 / },
];

const watchCases: BadInputCase[] = [
  { name: 'watch: neither --cron nor --once', args: ['watch', '--state', '{dir}/w.json'], exit: 2, message: /watch needs --cron EXPR \(or --once\)$/ },
  { name: 'watch: --cron not a pattern', args: ['watch', '--cron', 'every hour', '--state', '{dir}/w.json'], exit: 2, message: /--cron "every hour" is not a valid cron pattern/ },
  { name: 'watch: --cron with three fields', args: ['watch', '--cron', '* * *', '--state', '{dir}/w.json'], exit: 2, message: /--cron "\* \* \*" is not a valid cron pattern/ },
  { name: 'watch: --cron minute 61', args: ['watch', '--cron', '61 * * * *', '--state', '{dir}/w.json'], exit: 2, message: /--cron "61 \* \* \* \*" is not a valid cron pattern/ },
  { name: 'watch: --notify ftp', args: ['watch', '--once', '--notify', 'ftp://hooks.example/x', '--state', '{dir}/w.json'], exit: 2, message: /--notify: only http\(s\) URLs are supported$/ },
  { name: 'watch: --notify not a URL', args: ['watch', '--once', '--notify', 'not a url', '--state', '{dir}/w.json'], exit: 2, message: /--notify: "not a url" is not a URL$/ },
  { name: 'watch: --notify unknown kind', args: ['watch', '--once', '--notify', 'teams+https://relay.example/x', '--state', '{dir}/w.json'], exit: 2, message: /--notify: unknown kind "teams"/ },
  { name: 'watch: --notify URL with user and password', args: ['watch', '--once', '--notify', 'https://robot:hook-secret-77@hooks.example/x', '--state', '{dir}/w.json'], exit: 2, message: /--notify: the URL for hooks\.example holds credentials \(user:password@\), which cannot be sent; put the token in the path or query$/, issueItem: true },
  { name: 'watch: --notify URL with a user only', args: ['watch', '--cron', '0 * * * *', '--notify', 'https://robot@hooks.example/x', '--state', '{dir}/w.json'], exit: 2, message: /--notify: the URL for hooks\.example holds credentials/ },
  { name: 'watch: --notify slack URL with credentials', args: ['watch', '--once', '--notify', 'slack+https://a:b@relay.example/x', '--state', '{dir}/w.json'], exit: 2, message: /--notify: the URL for relay\.example holds credentials/ },
  { name: 'watch: --image bogus', args: ['watch', '--once', '--image', 'bogus', '--state', '{dir}/w.json'], exit: 2, message: /--image must be framework, node or all/ },
  { name: 'watch: --include not a regex', args: ['watch', '--once', '--include', '(', '--state', '{dir}/w.json'], exit: 2, message: /--include "\(" is not a valid regular expression$/ },
  { name: 'watch: --state a folder', args: ['watch', '--once', '--state', '{dir}'], exit: 2, message: /cannot read watch state \S+: EISDIR/ },
  { name: 'watch: --state not JSON', files: { 'w.json': 'not json' }, args: ['watch', '--once', '--state', '{dir}/w.json'], exit: 2, message: /watch state \S+w\.json is not JSON; remove it to start over$/ },
];

const upgradeCases: BadInputCase[] = [
  { name: 'upgrade: no --to', args: ['upgrade', '--yes'], exit: 2, message: /upgrade needs --to VERSION \(or --resume\)$/, mutating: M },
  { name: 'upgrade: --to banana', args: ['upgrade', '--to', 'banana', '--yes'], exit: 2, message: /--to "banana" is not a version like v\d/, mutating: M },
  { name: 'upgrade: --to latest', args: ['upgrade', '--to', 'latest', '--yes'], exit: 2, message: /--to "latest" is not a version/, mutating: M },
  { name: 'upgrade: --to without a value', args: ['upgrade', '--to'], exit: 2, message: /option '--to <version>' argument missing/ },
  { name: 'upgrade: --to v9.9.9', args: ['upgrade', '--to', 'v9.9.9', '--yes'], exit: 2, message: /\S+\/tarscloud\/framework:v9\.9\.9 does not exist in the registry \(no such tag v9\.9\.9\)$/, mutating: M },
  { name: 'upgrade: --to v9.9.9 --dry-run', args: ['upgrade', '--to', 'v9.9.9', '--dry-run'], exit: 2, message: /framework:v9\.9\.9 does not exist in the registry/ },
  { name: 'upgrade: downgrade without --allow-downgrade', args: ['upgrade', '--to', '{older}', '--yes'], exit: 2, message: /v[\d.]+ is older than the running v?[\d.]+: a downgrade needs --allow-downgrade$/, mutating: M },
  { name: 'upgrade: --batch 0', args: [...UP, '--batch', '0', '--yes'], exit: 2, message: /option '--batch <n>' argument '0' is invalid\. must be a whole number from 1 to 1000/ },
  { name: 'upgrade: --batch abc', args: [...UP, '--batch', 'abc'], exit: 2, message: /option '--batch <n>' argument 'abc' is invalid/ },
  { name: 'upgrade: --batch 1001', args: [...UP, '--batch', '1001'], exit: 2, message: /argument '1001' is invalid\. must be a whole number from 1 to 1000/ },
  { name: 'upgrade: --batch 1.5', args: [...UP, '--batch', '1.5'], exit: 2, message: /argument '1\.5' is invalid/ },
  { name: 'upgrade: --batch -1', args: [...UP, '--batch', '-1'], exit: 2, message: /--batch/ },
  { name: 'upgrade: --health-timeout 0', args: [...UP, '--health-timeout', '0', '--yes'], exit: 2, message: /option '--health-timeout <seconds>' argument '0' is invalid\. must be a number of seconds from 1 to 86400/ },
  { name: 'upgrade: --health-timeout abc', args: [...UP, '--health-timeout', 'abc'], exit: 2, message: /argument 'abc' is invalid\. must be a number of seconds/ },
  { name: 'upgrade: --health-timeout 86401', args: [...UP, '--health-timeout', '86401'], exit: 2, message: /argument '86401' is invalid/ },
  { name: 'upgrade: --health-timeout 1e3', args: [...UP, '--health-timeout', '1e3'], exit: 2, message: /argument '1e3' is invalid/ },
  { name: 'upgrade: unknown flag', args: [...UP, '--force'], exit: 2, message: /unknown option '--force'/ },
  { name: 'upgrade: --resume with --to and nothing to resume', args: [...UP, '--resume', '--yes'], exit: 2, message: /--resume: nothing to resume, the journal \S+journal\.jsonl has no unfinished upgrade \(drop --resume to start one to v[\d.]+\)$/, mutating: M, issueItem: true },
  { name: 'upgrade: --resume alone and nothing to resume', args: ['upgrade', '--resume', '--yes'], exit: 2, message: /--resume: nothing to resume, the journal \S+ has no unfinished upgrade$/, mutating: M },
  {
    name: 'upgrade: --resume with an unfinished run to another version',
    files: { '.tars-docker/journal.jsonl': '{"at":"2026-01-01T00:00:00.000Z","runId":"r-other","event":"run-start","detail":{"mode":"upgrade","from":"{older}","to":"{running}"}}\n' },
    args: [...UP, '--resume', '--yes'], exit: 2, message: /--resume: the unfinished upgrade in \S+ goes to v[\d.]+, not v[\d.]+$/, mutating: M,
  },
  {
    name: 'upgrade: --resume of a finished run',
    files: { '.tars-docker/journal.jsonl': '{"at":"2026-01-01T00:00:00.000Z","runId":"r-done","event":"run-start","detail":{"mode":"upgrade","to":"{newer}"}}\n{"at":"2026-01-01T00:01:00.000Z","runId":"r-done","event":"run-end","detail":{}}\n' },
    args: ['upgrade', '--resume', '--yes'], exit: 2, message: /--resume: nothing to resume/, mutating: M,
  },
  { name: 'upgrade: a read-only backup folder', mount: 'read-only', args: [...UP, '--backup-dir', '{dir}/mnt/backups'], exit: 2, message: /backup folder \S+mnt\/backups: cannot write into \S+mnt \(EROFS: read-only file system\); no backup was kept$/, mutating: M, issueItem: true },
  { name: 'upgrade: a backup folder under a file', files: { 'plain-file': 'x' }, args: [...UP, '--backup-dir', '{dir}/plain-file/backups'], exit: 2, message: /backup folder \S+plain-file\/backups: cannot write into \S+plain-file \(ENOTDIR: not a directory\); no backup was kept$/, mutating: M },
  { name: 'upgrade: without --yes and no terminal', args: UP, exit: 2, message: /upgrade the cluster to v[\d.]+: refusing without --yes \(not a terminal\)$/, mutating: M },
  { name: 'upgrade: MySQL unreachable', env: { set: { MYSQL_PORT: '1' } }, args: [...UP, '--yes'], exit: 1, message: /mysql \S+:1: cannot connect/, mutating: M },
];

const rollbackCases: BadInputCase[] = [
  { name: 'rollback: --to banana', args: ['rollback', '--to', 'banana', '--yes'], exit: 2, message: /--to "banana" is not a version/, mutating: M },
  { name: 'rollback: --to v9.9.9', args: ['rollback', '--to', 'v9.9.9', '--yes'], exit: 2, message: /framework:v9\.9\.9 does not exist in the registry/, mutating: M },
  { name: 'rollback: --batch 0', args: ['rollback', '--batch', '0'], exit: 2, message: /option '--batch <n>' argument '0' is invalid/ },
  { name: 'rollback: --health-timeout x', args: ['rollback', '--health-timeout', 'x'], exit: 2, message: /option '--health-timeout <seconds>' argument 'x' is invalid/ },
  { name: 'rollback: --resume is not a rollback flag', args: ['rollback', '--resume'], exit: 2, message: /unknown option '--resume'/ },
  { name: 'rollback: without --yes and no terminal', args: ['rollback', '--to', '{older}'], exit: 2, message: /rollback the cluster to v[\d.]+: refusing without --yes/, mutating: M },
  { name: 'rollback: a host that cannot be reached', inventory: { set: [[host(2, 'docker', 'endpoint'), 'unix://{dir}/dead.sock']] }, args: ['rollback', '--to', '{older}', '--yes'], exit: 1, message: /h3: cannot reach Docker at unix:\/\/\S+dead\.sock/, mutating: M },
];

const installCases: BadInputCase[] = [
  { name: 'install: no --version', args: ['install'], exit: 2, message: /required option '--version <tag>' not specified/ },
  { name: 'install: --version banana', args: ['install', '--version', 'banana'], exit: 2, message: /--version "banana" is not a version like v\d/, mutating: M },
  { name: 'install: an installed cluster', args: ['install', '--version', '{running}'], exit: 2, message: /databases already exist \(.*db_tars.*\): this cluster is installed, use `tars-docker upgrade`$/, mutating: M },
  { name: 'install: --version v9.9.9 on an installed cluster', args: ['install', '--version', 'v9.9.9'], exit: 2, message: /databases already exist \(.*\): this cluster is installed/, mutating: M },
];

const guardCases: BadInputCase[] = [
  { name: 'guard: a compose file that does not exist', args: ['guard', '--compose', '{dir}/none.yml'], exit: 2, message: /none\.yml: cannot read compose file \(ENOENT\)$/ },
  { name: 'guard: a compose file that is not YAML', files: { 'bad.yml': 'services: [\n' }, args: ['guard', '--compose', '{dir}/bad.yml'], exit: 3, message: /guard: \S+bad\.yml:\d+: cannot be parsed, so REBUILD in it cannot be checked/ },
  { name: 'guard: a compose file with REBUILD=true', files: { 'c.yml': 'services:\n  framework:\n    image: x\n    environment:\n      REBUILD: "true"\n' }, args: ['guard', '--compose', '{dir}/c.yml'], exit: 3, message: /guard: \S+c\.yml:5: REBUILD=true would drop/ },
  { name: 'guard --fix: a compose file that does not exist', args: ['guard', '--fix', '--compose', '{dir}/none.yml'], exit: 2, message: /none\.yml: cannot read compose file/, mutating: M },
  { name: 'guard: unknown flag', args: ['guard', '--strict'], exit: 2, message: /unknown option '--strict'/ },
  { name: 'guard: SLAVE=true on the master in the inventory', inventory: { set: [[host(0, 'env'), { SLAVE: 'true' }]] }, args: ['guard'], exit: 3, message: /guard: .*SLAVE/ },
];

const scaleCases: BadInputCase[] = [
  { name: 'scale add-host: no endpoint', args: ['scale', 'add-host', '--role', 'node'], exit: 2, message: /missing required argument 'endpoint'/ },
  { name: 'scale add-host: no --role', args: ['scale', 'add-host', 'ssh://root@10.213.7.250'], exit: 2, message: /required option '--role <role>' not specified/ },
  { name: 'scale add-host: --role master', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'master', '--yes'], exit: 2, message: /--role must be slave or node \(got "master"\)$/, mutating: M },
  { name: 'scale add-host: --role bogus', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'bogus'], exit: 2, message: /--role must be slave or node \(got "bogus"\)$/ },
  { name: 'scale add-host: only --tls-ca', args: ['scale', 'add-host', 'tcp://10.213.7.250:2376', '--role', 'node', '--tls-ca', '{dir}/ca.pem'], exit: 2, message: /--tls-ca, --tls-cert and --tls-key go together$/ },
  { name: 'scale add-host: http endpoint', args: ['scale', 'add-host', 'http://10.213.7.250:2375', '--role', 'node', '--yes'], exit: 2, message: /endpoint "http:\/\/10\.213\.7\.250:2375" is not unix:\/\/PATH, tcp:\/\/HOST:PORT or ssh:\/\/USER@HOST\[:PORT\]$/, mutating: M },
  { name: 'scale add-host: tcp without tls', args: ['scale', 'add-host', 'tcp://10.213.7.250:2376', '--role', 'node'], exit: 2, message: /endpoint "tcp:\/\/10\.213\.7\.250:2376" needs tls/ },
  { name: 'scale add-host: tcp port 0', args: ['scale', 'add-host', 'tcp://10.213.7.250:0', '--role', 'node', '--tls-ca', '{lab}/certs/ca.pem', '--tls-cert', '{lab}/certs/client-cert.pem', '--tls-key', '{lab}/certs/client-key.pem', '--yes'], exit: 2, message: /endpoint "tcp:\/\/10\.213\.7\.250:0" has port 0; a port must be 1-65535$/, mutating: M },
  { name: 'scale add-host: ssh port 70000', args: ['scale', 'add-host', 'ssh://root@10.213.7.250:70000', '--role', 'node'], exit: 2, message: /has port 70000; a port must be 1-65535$/ },
  { name: 'scale add-host: unix endpoint without --address', args: ['scale', 'add-host', 'unix://{dir}/dead.sock', '--role', 'node'], exit: 2, message: /--address is required with a unix:\/\/ endpoint/ },
  { name: 'scale add-host: the endpoint of h4', args: ['scale', 'add-host', '{endpoint:h4}', '--role', 'node', '--address', '10.213.7.250', '--yes'], exit: 2, message: /^tars-docker: h4 in \S+ already uses the endpoint unix:\/\/\S+h4\/docker\.sock$/, mutating: M, issueItem: true },
  { name: 'scale add-host: the address of h2', args: ['scale', 'add-host', 'ssh://root@{address:h2}', '--role', 'node', '--identity-file', '{lab}/ssh/id_ed25519', '--yes'], exit: 2, message: /^tars-docker: h2 in \S+ already has the address \S+$/, mutating: M, issueItem: true },
  { name: 'scale add-host: the name of h3', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'node', '--name', 'h3', '--yes'], exit: 2, message: /^tars-docker: a host named h3 is already in \S+$/, mutating: M, issueItem: true },
  { name: 'scale add-host: a name with a space', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'node', '--name', 'new node'], exit: 2, message: /hosts\[\d+\]\.name must be a simple name/ },
  { name: 'scale add-host: --address 999.1.1.1', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'node', '--address', '999.1.1.1'], exit: 2, message: /hosts\[\d+\]\.address must be an IP address or a DNS name$/ },
  { name: 'scale add-host: --identity-file missing', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'node', '--identity-file', '{dir}/no-key'], exit: 2, message: /--identity-file \S+no-key does not exist$/ },
  { name: 'scale add-host: --tls-ca missing', args: ['scale', 'add-host', 'tcp://10.213.7.250:2376', '--role', 'slave', '--tls-ca', '{dir}/ca.pem', '--tls-cert', '{lab}/certs/client-cert.pem', '--tls-key', '{lab}/certs/client-key.pem'], exit: 2, message: /--tls-ca \S+ca\.pem does not exist$/ },
  { name: 'scale add-host: --health-timeout 0', args: ['scale', 'add-host', 'ssh://root@10.213.7.250', '--role', 'node', '--health-timeout', '0'], exit: 2, message: /option '--health-timeout <seconds>' argument '0' is invalid/ },
  { name: 'scale add-host: without --yes and no terminal', args: ['scale', 'add-host', 'unix://{dir}/dead.sock', '--role', 'node', '--address', '10.213.7.250'], exit: 2, message: /add unix:\/\/\S+ as a node: refusing without --yes/, mutating: M },
  { name: 'scale add-host: an engine that cannot be reached', args: ['scale', 'add-host', 'unix://{dir}/dead.sock', '--role', 'node', '--address', '10.213.7.250', '--yes'], exit: 1, message: /cannot reach Docker at unix:\/\/\S+dead\.sock/, mutating: M },
  { name: 'scale remove-host: no name', args: ['scale', 'remove-host'], exit: 2, message: /missing required argument 'name'/ },
  { name: 'scale remove-host: an unknown host', args: ['scale', 'remove-host', 'h9', '--yes'], exit: 2, message: /no host named h9 in \S+tars-docker\.yml$/, mutating: M },
  { name: 'scale remove-host: the master', args: ['scale', 'remove-host', 'h1', '--yes'], exit: 2, message: /h1 is the master: it cannot be removed/, mutating: M },
  { name: 'scale remove-host: two names', args: ['scale', 'remove-host', 'h3', 'h4'], exit: 2, message: /too many arguments for 'remove-host'/ },
  { name: 'scale remove-host: without --yes and no terminal', args: ['scale', 'remove-host', 'h4'], exit: 2, message: /remove h4 from the cluster: refusing without --yes/, mutating: M },
];

const dropColumn = "CREATE TABLE `t_a` (\n  `id` int NOT NULL,\n  `b` int\n) ENGINE=InnoDB;\nALTER TABLE `t_a` DROP COLUMN `b`;\n";

const migrateCases: BadInputCase[] = [
  { name: 'migrate plan: no --to', args: ['migrate', 'plan'], exit: 2, message: /required option '--to <version>' not specified/ },
  { name: 'migrate plan: --to banana', args: ['migrate', 'plan', '--to', 'banana'], exit: 2, message: /--to "banana" is not a version/ },
  { name: 'migrate plan: --to v9.9.9', args: ['migrate', 'plan', '--to', 'v9.9.9'], exit: 2, message: /^tars-docker: --to v9\.9\.9: \S+\/tarscloud\/framework:v9\.9\.9 does not exist in the registry \(no such tag v9\.9\.9\)$/, issueItem: true },
  { name: 'migrate plan: --db db_tars', args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars'], exit: 2, message: /--db: db_tars is not one of db_tars_web, db_user_system$/ },
  { name: 'migrate plan: --db empty', args: ['migrate', 'plan', '--to', '{running}', '--db', ','], exit: 2, message: /--db names no database to migrate$/ },
  { name: 'migrate plan: --schema-dir missing', args: ['migrate', 'plan', '--to', '{running}', '--schema-dir', '{dir}/none'], exit: 2, message: /no db_tars_web\.sql or db_user_system\.sql in \S+none$/ },
  { name: 'migrate plan: --schema-dir without schema files', files: { 'schema/readme.txt': 'x' }, args: ['migrate', 'plan', '--to', '{running}', '--schema-dir', '{dir}/schema'], exit: 2, message: /no db_tars_web\.sql or db_user_system\.sql in \S+schema$/ },
  { name: 'migrate plan: ALTER TABLE DROP COLUMN in a schema file', files: { 'schema/db_tars_web.sql': dropColumn }, args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:5: ALTER TABLE t_a DROP COLUMN is not supported in a schema file \(only DISABLE\/ENABLE KEYS\); write the table as CREATE TABLE$/, issueItem: true },
  { name: 'migrate plan: an unknown statement', files: { 'schema/db_tars_web.sql': 'GRANT ALL ON *.* TO x;\n' }, args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:1: unsupported statement GRANT$/ },
  { name: 'migrate plan: an unterminated string', files: { 'schema/db_tars_web.sql': "CREATE TABLE t (a varchar(3) DEFAULT 'x);\n" }, args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:1: unterminated string/ },
  { name: 'migrate plan: a table created twice', files: { 'schema/db_tars_web.sql': 'CREATE TABLE t (a int);\nCREATE TABLE t (a int);\n' }, args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:2: table t is created twice/ },
  { name: 'migrate plan: INSERT into a table not created', files: { 'schema/db_tars_web.sql': "INSERT INTO t VALUES (1);\n" }, args: ['migrate', 'plan', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:1: INSERT into t, which this file does not create/ },
  { name: 'migrate apply: --to v9.9.9', args: ['migrate', 'apply', '--to', 'v9.9.9'], exit: 2, message: /--to v9\.9\.9: \S+ does not exist in the registry/, mutating: M },
  { name: 'migrate apply: --db mysql', args: ['migrate', 'apply', '--to', '{running}', '--db', 'mysql'], exit: 2, message: /--db: mysql is not one of db_tars_web, db_user_system$/, mutating: M },
  { name: 'migrate apply: ALTER TABLE DROP COLUMN in a schema file', files: { 'schema/db_tars_web.sql': dropColumn }, args: ['migrate', 'apply', '--to', '{running}', '--db', 'db_tars_web', '--schema-dir', '{dir}/schema'], exit: 2, message: /db_tars_web\.sql:5: ALTER TABLE t_a DROP COLUMN is not supported/, mutating: M },
  { name: 'migrate apply: MySQL unreachable', env: { set: { MYSQL_PORT: '1' } }, args: ['migrate', 'apply', '--to', '{running}'], exit: 1, message: /mysql \S+:1: cannot connect/, mutating: M },
  { name: 'migrate verify: --to v9.9.9', args: ['migrate', 'verify', '--to', 'v9.9.9'], exit: 2, message: /--to v9\.9\.9: \S+ does not exist in the registry/ },
  { name: 'migrate verify: --db bogus', args: ['migrate', 'verify', '--to', '{running}', '--db', 'bogus'], exit: 2, message: /--db: bogus is not one of/ },
];

const backupCases: BadInputCase[] = [
  { name: 'backup create: --db mysql', args: ['backup', 'create', '--db', 'mysql', '--backup-dir', '{dir}/b'], exit: 2, message: /--db mysql: not a Tars database; .* pass --other-db to mean it$/, mutating: M },
  { name: 'backup create: --db with a foreign database among Tars ones', args: ['backup', 'create', '--db', 'db_tars,information_schema', '--backup-dir', '{dir}/b'], exit: 2, message: /--db information_schema: not a Tars database/, mutating: M },
  { name: 'backup create: --db names nothing', args: ['backup', 'create', '--db', ',', '--backup-dir', '{dir}/b'], exit: 2, message: /--db names no database$/, mutating: M },
  { name: 'backup create: a database that does not exist', args: ['backup', 'create', '--db', 'no_such_db', '--other-db', '--backup-dir', '{dir}/b'], exit: 2, message: /cannot back up no_such_db: no such database$/, mutating: M },
  { name: 'backup create: a read-only backup folder', mount: 'read-only', args: ['backup', 'create', '--backup-dir', '{dir}/mnt/backups'], exit: 2, message: /^tars-docker: backup folder \S+mnt\/backups: cannot write into \S+mnt \(EROFS: read-only file system\); no backup was kept$/, mutating: M, issueItem: true },
  { name: 'backup create: a full backup folder', mount: 'full', args: ['backup', 'create', '--backup-dir', '{dir}/mnt'], exit: 1, message: /^tars-docker: backup folder \S+mnt: cannot write the backup \(ENOSPC: no space left on device\); no backup was kept$/, mutating: M, issueItem: true },
  { name: 'backup create: a backup folder under a file', files: { 'plain-file': 'x' }, args: ['backup', 'create', '--backup-dir', '{dir}/plain-file/b'], exit: 2, message: /backup folder \S+plain-file\/b: cannot write into \S+plain-file \(ENOTDIR: not a directory\); no backup was kept$/, mutating: M },
  { name: 'backup create: an argument', args: ['backup', 'create', 'db_tars'], exit: 2, message: /too many arguments for 'create'/ },
  { name: 'backup create: MySQL unreachable', env: { set: { MYSQL_PORT: '1' } }, args: ['backup', 'create', '--backup-dir', '{dir}/b'], exit: 1, message: /mysql \S+:1: cannot connect/, mutating: M },
  { name: 'backup verify: no id', args: ['backup', 'verify'], exit: 2, message: /missing required argument 'id'/ },
  { name: 'backup verify: an unknown id', args: ['backup', 'verify', '20260101T000000Z-0000', '--backup-dir', '{dir}/b'], exit: 2, message: /no backup 20260101T000000Z-0000 in \S+b$/ },
  { name: 'backup verify: a path as id', args: ['backup', 'verify', '../../etc', '--backup-dir', '{dir}/b'], exit: 2, message: /invalid backup id "\.\.\/\.\.\/etc"$/ },
  { name: 'backup restore: no id', args: ['backup', 'restore', '--yes'], exit: 2, message: /missing required argument 'id'/ },
  { name: 'backup restore: an unknown id', args: ['backup', 'restore', '20260101T000000Z-0000', '--backup-dir', '{dir}/b', '--yes'], exit: 2, message: /no backup 20260101T000000Z-0000 in \S+b$/, mutating: M },
  { name: 'backup restore: a path as id', args: ['backup', 'restore', '../x', '--yes'], exit: 2, message: /invalid backup id "\.\.\/x"$/, mutating: M },
  { name: 'backup restore: --db names nothing', args: ['backup', 'restore', '20260101T000000Z-0000', '--db', ',', '--yes'], exit: 2, message: /--db names no database$/, mutating: M },
  { name: 'backup restore: --rename without =', args: ['backup', 'restore', '20260101T000000Z-0000', '--rename', 'db_tars_web', '--yes'], exit: 2, message: /--rename expects FROM=TO \(got "db_tars_web"\)$/, mutating: M },
  { name: 'backup restore: --rename with an empty target', args: ['backup', 'restore', '20260101T000000Z-0000', '--rename', 'db_tars_web=', '--yes'], exit: 2, message: /--rename expects FROM=TO \(got "db_tars_web="\)$/, mutating: M },
  { name: 'backup restore: without --yes and no terminal', args: ['backup', 'restore', '20260101T000000Z-0000'], exit: 2, message: /restore backup 20260101T000000Z-0000: refusing without --yes \(not a terminal\)$/, mutating: M },
  { name: 'backup list: an argument', args: ['backup', 'list', 'all'], exit: 2, message: /too many arguments for 'list'/ },
];

const labCases: BadInputCase[] = [
  { name: 'lab up: --hosts 0', args: ['lab', 'up', '--hosts', '0', '--dir', '{dir}/lab'], exit: 2, message: /option '--hosts <n>' argument '0' is invalid\. must be a whole number from 1 to 50/ },
  { name: 'lab up: --hosts 51', args: ['lab', 'up', '--hosts', '51', '--dir', '{dir}/lab'], exit: 2, message: /argument '51' is invalid/ },
  { name: 'lab up: --hosts abc', args: ['lab', 'up', '--hosts', 'abc', '--dir', '{dir}/lab'], exit: 2, message: /argument 'abc' is invalid/ },
  { name: 'lab up: --version not a lab version', args: ['lab', 'up', '--version', 'v9.9.9', '--dir', '{dir}/lab'], exit: 2, message: /--version must be one of the lab versions: v2\.4\.22, /, mutating: M },
  { name: 'lab add-host: a folder with no lab', args: ['lab', 'add-host', '--dir', '{dir}/lab'], exit: 2, message: /lab: not up in \S+lab \(run `tars-docker lab up`\)$/, mutating: M },
  { name: 'lab up: unknown flag', args: ['lab', 'up', '--nodes', '3'], exit: 2, message: /unknown option '--nodes'/ },
];

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  ...globalCases, ...envCases, ...inventoryCases, ...checkCases, ...watchCases, ...upgradeCases, ...rollbackCases,
  ...installCases, ...guardCases, ...scaleCases, ...migrateCases, ...backupCases, ...labCases,
];
