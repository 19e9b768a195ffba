import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { bundleEntry, cacheRoot, folderContentHash, writeFileAtomic } from '../private/bundle-cache';
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

/** `filebase64sha256()` of bytes: what Lambda reports as CodeSha256. */
function base64Sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * A function's code, as AWS CDK's `lambda.Code` gives it: a prebuilt zip, a folder to zip, an
 * entry file bundled with esbuild (like `NodejsFunction`), or a zip already in S3. Local code's
 * `source_code_hash` is the base64 SHA-256 of the zip (Lambda's CodeSha256, Terraform's
 * `filebase64sha256()`): zips written here are reproducible (fixed times, sorted entries), so
 * the same code gives the same hash on every machine and checkout.
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
    const zip = this.kind === 'zip' ? { file: path, sourceCodeHash: base64Sha256(readFileSync(path)) } : zipInCache(path);
    // A file asset is copied in this process; an archive asset would zip in a child process.
    const asset = new TerraformAsset(scope, id, { path: zip.file, type: AssetType.FILE });
    // ${path.module} is "." in a root module and the module's folder when called as one.
    return { filename: `\${path.module}/${asset.path}`, sourceCodeHash: zip.sourceCodeHash };
  }
}

/**
 * Zips a folder reproducibly into the cache and returns the zip and its base64 SHA-256. The
 * zip is kept under the hash of the folder's files, so an unchanged bundle is not zipped again.
 */
function zipInCache(dir: string): { file: string; sourceCodeHash: string } {
  const zips = join(cacheRoot(), 'zips');
  const base = join(zips, folderContentHash(dir));
  if (existsSync(`${base}.zip`) && existsSync(`${base}.sha256`)) {
    return { file: `${base}.zip`, sourceCodeHash: readFileSync(`${base}.sha256`, 'utf8') };
  }
  // Loaded only to make a zip (fflate builds its tables at load): a warm synth finds every zip kept.
  const { zipFolderSync } = require('../private/reproducible-zip') as typeof import('../private/reproducible-zip');
  const bytes = zipFolderSync(dir);
  const sourceCodeHash = base64Sha256(bytes);
  mkdirSync(zips, { recursive: true });
  // Each file lands whole (concurrent synths share the cache); the hash file is written last:
  // its presence says the zip beside it is complete.
  writeFileAtomic(`${base}.zip`, bytes);
  writeFileAtomic(`${base}.sha256`, sourceCodeHash);
  return { file: `${base}.zip`, sourceCodeHash };
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
    let bundle;
    try {
      bundle = bundleEntry(entry, { target: this.options.target ?? 'node20', external: this.options.external ?? ['pg-native'], minify: this.options.minify ?? true });
    } catch (error) {
      const first = (error as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? (error as Error).message;
      throw new ConfigError('code', `esbuild could not bundle ${this.entry}: ${first}`);
    }
    return new LocalCode(bundle.dir, 'dir').bind(scope, id);
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
