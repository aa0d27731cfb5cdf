import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { InputError } from '../errors.js';

export interface InventoryHostEntry {
  name: string;
  role: string;
  address: string;
  docker: { endpoint: string; tls?: { ca: string; cert: string; key: string }; identityFile?: string };
}

/** Appends one host to `hosts:` keeping every comment and the order of the file; written atomically. */
export function addInventoryHost(file: string, entry: InventoryHostEntry): void {
  editHosts(file, (hosts, doc) => {
    hosts.items.push(doc.createNode(entry));
  });
}

/** Removes the host named `name`; the rest of the file stays as it was. */
export function removeInventoryHost(file: string, name: string): void {
  editHosts(file, (hosts) => {
    const index = hosts.items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (index < 0) throw new InputError(`${file}: no host named ${name}`);
    hosts.items.splice(index, 1);
  });
}

function editHosts(
  file: string,
  edit: (hosts: YAMLSeq, doc: Document) => void,
): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const hosts = doc.get('hosts');
  if (!isSeq(hosts)) throw new InputError(`${file}: hosts is not a list`);
  edit(hosts, doc);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, String(doc), { mode: statSync(file).mode & 0o777 });
  renameSync(tmp, file);
}
