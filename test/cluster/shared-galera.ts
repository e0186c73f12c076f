// One Galera cluster for several users in one CI run (the benchmark, then the suite):
//   tsx test/cluster/shared-galera.ts start   starts it, prints its directory
//   tsx test/cluster/shared-galera.ts stop DIR stops it and removes the directory
// Export the printed directory as GALERA_CLUSTER_DIR and galera-cluster.ts attaches to it
// instead of starting three more nodes. Without Galera, `start` prints nothing and exits 0:
// the users then skip (or fail under CI=true) with their own message.
import { GaleraCluster, galeraMissing } from '../helpers/galera-cluster.js';

const [command, dir] = process.argv.slice(2);
if (command === 'start') {
  const missing = galeraMissing();
  if (missing) {
    console.error(`no shared Galera cluster: ${missing}`);
    process.exit(0);
  }
  const cluster = await GaleraCluster.start({ detached: true });
  console.log(cluster.root);
  process.exit(0);
} else if (command === 'stop' && dir) {
  await GaleraCluster.stopShared(dir);
} else {
  console.error('usage: shared-galera.ts start | stop DIR');
  process.exit(2);
}
