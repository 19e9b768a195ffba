import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../private/config-error';

/** Props of {@link FunctionCode}. */
export interface FunctionCodeProps {
  /** A folder holding the bundled handler (`index.js` exporting `handler`), zipped at synth. */
  readonly bundleDir: string;
}

/**
 * A function's zip, built at synth from a bundled folder. The Terraform `source_code_hash`
 * is CDKTF's hash of the folder's content, not of the zip: a zip embeds file times, so its
 * hash would change on every checkout and redeploy the function for nothing.
 */
export class FunctionCode extends Construct {
  /** Path of the zip for `filename`, relative to the module (`${path.module}/assets/...`). */
  public readonly filename: string;
  /** Content hash for `source_code_hash`. */
  public readonly sourceCodeHash: string;

  constructor(scope: Construct, id: string, props: FunctionCodeProps) {
    super(scope, id);
    const index = join(props.bundleDir, 'index.js');
    if (!existsSync(index) || !statSync(index).isFile()) {
      throw new ConfigError('code.bundleDir', `${props.bundleDir} holds no index.js; bundle the handler first (functions/bundle.ts)`);
    }
    const asset = new TerraformAsset(this, 'asset', { path: props.bundleDir, type: AssetType.ARCHIVE });
    // ${path.module} is "." in a root module and the module's folder when called as one,
    // so the same reference works in the deploy stack and in the published module.
    this.filename = `\${path.module}/${asset.path}`;
    this.sourceCodeHash = asset.assetHash;
  }
}
