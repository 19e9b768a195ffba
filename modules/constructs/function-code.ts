import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { buildSync, BuildOptions } from 'esbuild';
import { ConfigError } from '../private/config-error';

/** Where a function's code is, in the arguments `aws_lambda_function` takes. */
export interface FunctionCodeConfig {
  /** Path of a zip for `filename` (`${path.module}/assets/...`). */
  readonly filename?: string;
  /** S3 bucket of the zip. */
  readonly s3Bucket?: string;
  /** S3 key of the zip. */
  readonly s3Key?: string;
  /** S3 object version of the zip. */
  readonly s3ObjectVersion?: string;
  /** Hash that changes when the code does: Terraform redeploys on a change. */
  readonly sourceCodeHash?: string;
}

/** Options of {@link FunctionCode.fromEntry}. */
export interface EntryBundleOptions {
  /**
   * Node.js version esbuild targets.
   * @default 'node20' (runs on nodejs20.x and nodejs22.x)
   */
  readonly target?: string;
  /**
   * Modules left out of the bundle.
   * @default ['pg-native'] (pg asks for it only when told to)
   */
  readonly external?: string[];
  /**
   * Minify the bundle.
   * @default true
   */
  readonly minify?: boolean;
}

/**
 * A function's code, as AWS CDK's `lambda.Code` gives it: a prebuilt zip, a folder to zip, an
 * entry file bundled with esbuild (like `NodejsFunction`), or a zip already in S3. The
 * `source_code_hash` of local code is the hash of its content, not of a zip: a zip embeds
 * file times, so its hash would change on every checkout and redeploy for nothing.
 */
export abstract class FunctionCode {
  /** A zip built elsewhere (`index.js` inside for handler `index.handler`). */
  static fromZip(zipFile: string): FunctionCode {
    return new LocalCode(zipFile, 'zip');
  }

  /** A folder holding the bundled handler (`index.js`), zipped at synth. */
  static fromBundleDir(directory: string): FunctionCode {
    return new LocalCode(directory, 'dir');
  }

  /**
   * A TypeScript or JavaScript entry file, bundled with esbuild at synth into one minified
   * CommonJS `index.js` with everything it imports (the AWS SDK v3 included), then zipped.
   */
  static fromEntry(entryFile: string, options: EntryBundleOptions = {}): FunctionCode {
    return new EntryCode(entryFile, options);
  }

  /** A zip in S3; `sourceCodeHash` (base64 SHA-256 of the zip) makes Terraform see new code. */
  static fromS3(bucket: string, key: string, options: { objectVersion?: string; sourceCodeHash?: string } = {}): FunctionCode {
    return new S3Code({ s3Bucket: bucket, s3Key: key, s3ObjectVersion: options.objectVersion, sourceCodeHash: options.sourceCodeHash });
  }

  /** Called once by the function that uses this code; local code becomes an asset of `scope`. */
  abstract bind(scope: Construct, id: string): FunctionCodeConfig;
}

class LocalCode extends FunctionCode {
  constructor(
    private readonly path: string,
    private readonly kind: 'zip' | 'dir',
  ) {
    super();
  }

  bind(scope: Construct, id: string): FunctionCodeConfig {
    const path = resolve(this.path);
    if (this.kind === 'zip' && !(existsSync(path) && statSync(path).isFile() && path.endsWith('.zip'))) {
      throw new ConfigError('code', `${this.path} is not a zip file; give the path of the function's .zip`);
    }
    if (this.kind === 'dir' && !(existsSync(join(path, 'index.js')) && statSync(join(path, 'index.js')).isFile())) {
      throw new ConfigError('code', `${this.path} holds no index.js; bundle the handler first`);
    }
    const asset = new TerraformAsset(scope, id, { path, type: this.kind === 'zip' ? AssetType.FILE : AssetType.ARCHIVE });
    // ${path.module} is "." in a root module and the module's folder when called as one.
    return { filename: `\${path.module}/${asset.path}`, sourceCodeHash: asset.assetHash };
  }
}

class EntryCode extends FunctionCode {
  constructor(
    private readonly entry: string,
    private readonly options: EntryBundleOptions,
  ) {
    super();
  }

  bind(scope: Construct, id: string): FunctionCodeConfig {
    const entry = resolve(this.entry);
    if (!existsSync(entry) || !statSync(entry).isFile()) {
      throw new ConfigError('code', `entry file ${this.entry} does not exist`);
    }
    const outDir = mkdtempSync(join(tmpdir(), 'vld-entry-'));
    const build: BuildOptions = {
      entryPoints: [entry],
      outfile: join(outDir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: this.options.target ?? 'node20',
      format: 'cjs',
      minify: this.options.minify ?? true,
      sourcemap: false,
      legalComments: 'none',
      external: this.options.external ?? ['pg-native'],
      logLevel: 'silent',
    };
    try {
      buildSync(build);
    } catch (error) {
      const first = (error as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? (error as Error).message;
      throw new ConfigError('code', `esbuild could not bundle ${this.entry}: ${first}`);
    }
    return new LocalCode(outDir, 'dir').bind(scope, id);
  }
}

class S3Code extends FunctionCode {
  constructor(private readonly config: FunctionCodeConfig) {
    super();
  }

  bind(): FunctionCodeConfig {
    if (!this.config.s3Bucket || !this.config.s3Key) throw new ConfigError('code', 'fromS3 needs a bucket and a key');
    return this.config;
  }
}
