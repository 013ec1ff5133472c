import { type Command, parseFlags, refuseExtraArguments } from 'ecr-image-updater/cli/command';
import { EXIT } from 'ecr-image-updater/cli/io';
import { runTutorial } from '../tutorial/run-tutorial.ts';

export const demoCommand: Command = {
  name: 'demo',
  accepts: { flags: {} },
  help: `Usage: ecr-image-updater demo

Replays the seed tutorial on embedded local peers, with no AWS account and no Docker. Every push goes
through the local ECR's API and the same handler the Lambda runs. It prints these steps as it goes:

 Through git, on a GitOps repository with the flask-app chart (devopscube/argocd-image-updater):
   1. registers flask-app (examples/flask-app.yaml): follows flask-app:~1.0 and writes
      flask-app/.argocd-source-flask-app.yaml
   2. pushes flask-app:1.0.0: committed
   3. pushes flask-app:1.0.2: a patch inside ~1.0, committed
   4. pushes flask-app:2.0.0 for linux/amd64 and linux/arm64: the untagged platform manifests are
      ignored, and 2.0.0 is outside ~1.0
   5. registers flask-values (examples/flask-values.yaml: edits the chart's values.yaml) and
      flask-preview (examples/flask-preview.yaml: opens pull requests) on the same repository
   6. pushes flask-app:1.0.3: one commit for flask-app and flask-values, a pull request for
      flask-preview
   7. pushes flask-app:1.0.4: the same, and the open pull request moves to 1.0.4
   8. shows the repository: .argocd-source-flask-app.yaml, values.yaml, the git log, the open pull
      request, and the image the real helm renders (where the bundled helm runs: linux-amd64)
 Through Argo CD, the seed's own way, on fresh peers:
   9. Argo CD holds the Application flask-argocd, whose ecr-image-updater/allow-images annotation
      allows the image; imports it (examples/argocd-application.yaml)
  10. pushes flask-app:1.0.0, then flask-app:1.0.2: each patches the Application (newest-build)
  11. shows the Application's Helm parameters and the image helm renders

Exits 0. To keep the peers running and try the steps by hand: ecr-image-updater local --help.

Options:
  -h, --help          this help
`,
  async run(args, io) {
    const { values, positionals } = parseFlags('demo', args, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT.ok;
    }
    refuseExtraArguments('demo', positionals, 0);
    await runTutorial(io.stdout);
    return EXIT.ok;
  },
};
