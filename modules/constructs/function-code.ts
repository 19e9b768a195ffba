import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { bundleEntry, cacheRoot, folderContentHash, writeFileAtomic } from '../private/bundle-cache';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { findNodeModulesInstall } from '../private/node-modules';
import { isLiteral } from '../private/tokens';

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
  /** A container image in ECR (`package_type = "Image"`): no handler, runtime or layers then. */
  readonly imageUri?: string;
  /** `Zip` or `Image`; left out, the shape derives it from `imageUri` (the module gives an expression). */
  readonly packageType?: string;
}

/**
 * Options of {@link FunctionCode.fromEntry}: the bundling options of AWS CDK's `NodejsFunction`
 * (aws-lambda-nodejs `BundlingOptions`) of the same names and meaning, bar the defaults noted.
 */
export interface EntryBundleOptions {
  /**
   * Node.js version esbuild targets.
   * @default 'node20' (runs on nodejs20.x and nodejs22.x)
   */
  readonly target?: string;
  /**
   * Modules left out of the bundle, for the runtime or a layer to provide (`'sharp'`, `'@aws-sdk/*'`: one `*` allowed). Replaces the default list, as in NodejsFunction.
   * @default ['@aws-sdk/*', '@smithy/*', 'pg-native']: the AWS SDK v3 the Node.js runtimes carry (as NodejsFunction), and pg's optional native binding; ['pg-native'] with bundleAwsSDK
   */
  readonly externalModules?: string[];
  /**
   * Bundle the AWS SDK v3 (`@aws-sdk/*`, `@smithy/*`) instead of using the runtime's copy: the version you tested, and a faster cold start; the app must have it installed.
   * @default false
   */
  readonly bundleAwsSDK?: boolean;
  /**
   * Modules installed into the zip's `node_modules` with `npm ci` from the app's package-lock.json instead of bundled (packages that read their own files or carry native code); each must be a dependency in the app's package.json, and npm must be on PATH.
   * @default [] (everything imported is bundled, bar externalModules)
   */
  readonly nodeModules?: string[];
  /**
   * Write `index.js.map` beside the bundle, sources relative to the app's folder; stack traces use it with `NODE_OPTIONS: '--enable-source-maps'` in the function's environment.
   * @default false
   */
  readonly sourceMap?: boolean;
  /**
   * Minify the bundle.
   * @default true (NodejsFunction's is false)
   */
  readonly minify?: boolean;
}

/** Every option of {@link EntryBundleOptions}: unknown ones are refused (see checkProps). */
const ENTRY_BUNDLE_OPTIONS = {
  target: 'optional',
  externalModules: 'optional',
  bundleAwsSDK: 'optional',
  nodeModules: 'optional',
  sourceMap: 'optional',
  minify: 'optional',
} as const satisfies PropSpec<EntryBundleOptions>;

/** The AWS SDK v3 packages the Node.js runtimes carry: left out unless bundleAwsSDK (NodejsFunction's list). */
export const AWS_SDK_EXTERNALS = ['@aws-sdk/*', '@smithy/*'] as const;
/** pg loads `pg-native` only when told to (Lambda never is), and esbuild cannot resolve it. */
const ALWAYS_EXTERNAL = ['pg-native'];
/** An npm package name (`sharp`, `@scope/name`). */
const PACKAGE_NAME = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;
/** A module name esbuild can leave out: a package, a subpath of one, or either with one `*`. */
const EXTERNAL_PATTERN = /^[^\s*]*\*?[^\s*]*$/;
const isSdk = (module: string) => /^@(aws-sdk|smithy)\//.test(module);

/** Refuses options of the wrong kind and contradictions, each naming the option (`code.<option>`). */
function checkEntryOptions(options: EntryBundleOptions): void {
  checkProps('code', options, 'EntryBundleOptions', ENTRY_BUNDLE_OPTIONS);
  const list = (name: 'externalModules' | 'nodeModules', pattern: RegExp, what: string) => {
    const value: unknown = options[name];
    if (value === undefined) return;
    if (!Array.isArray(value)) throw new ConfigError(`code.${name}`, `expected a list of ${what}, got ${JSON.stringify(value)}`);
    const bad = value.find((module) => typeof module !== 'string' || !pattern.test(module) || module === '' || module === '*');
    if (bad !== undefined) throw new ConfigError(`code.${name}`, `${JSON.stringify(bad)} is not one of ${what}`);
  };
  list('externalModules', EXTERNAL_PATTERN, "module names, like 'sharp' or '@aws-sdk/*'");
  list('nodeModules', PACKAGE_NAME, "package names from the app's package.json, like 'sharp'");
  for (const name of ['bundleAwsSDK', 'sourceMap', 'minify'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new ConfigError(`code.${name}`, `expected true or false, got ${JSON.stringify(options[name])}`);
  }
  if (options.target !== undefined && (typeof options.target !== 'string' || options.target === '')) {
    throw new ConfigError('code.target', `expected an esbuild target like 'node20', got ${JSON.stringify(options.target)}`);
  }
  const sdk = options.externalModules?.find(isSdk);
  if (options.bundleAwsSDK === true && sdk) {
    throw new ConfigError('code.bundleAwsSDK', `is true but externalModules leaves ${sdk} out; drop one of the two`);
  }
}

/** What to tell a user whose bundle needs an SDK module the app does not have. */
function missingSdkHint(options: EntryBundleOptions, module: string): string {
  const install = `npm install ${module.split('/').slice(0, 2).join('/')}`;
  if (options.bundleAwsSDK) return `; bundleAwsSDK is true, so the app must have the AWS SDK installed (${install}), or drop bundleAwsSDK to use the runtime's copy`;
  if (options.externalModules) return `; externalModules replaces the default that leaves @aws-sdk/* to the runtime: add '@aws-sdk/*' to it, or ${install}`;
  return '';
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
   * CommonJS `index.js` with what it imports, then zipped. As in AWS CDK's `NodejsFunction`,
   * the AWS SDK v3 (`@aws-sdk/*`, `@smithy/*`) is left out for the runtime to provide (every
   * runtime a function takes, nodejs20.x and nodejs22.x, carries it), so the app need not
   * install it; `bundleAwsSDK: true` puts the app's own copy in. See {@link EntryBundleOptions}.
   */
  static fromEntry(entryFile: string, options: EntryBundleOptions = {}): FunctionCode {
    return new EntryCode(entryFile, options);
  }

  /** A zip in S3; `sourceCodeHash` (base64 SHA-256 of the zip) makes Terraform see new code. */
  static fromS3(bucket: string, key: string, options: { objectVersion?: string; sourceCodeHash?: string } = {}): FunctionCode {
    checkProps('code', options, 'fromS3 options', { objectVersion: 'optional', sourceCodeHash: 'optional' });
    return new S3Code({ s3Bucket: bucket, s3Key: key, s3ObjectVersion: options.objectVersion, sourceCodeHash: options.sourceCodeHash });
  }

  /**
   * A container image in Amazon ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` or
   * `@sha256:<digest>`), as AWS CDK's `DockerImageCode.fromEcr`: the image carries its runtime
   * and entry point, so the function takes no handler, runtime or layers.
   */
  static fromImage(imageUri: string): FunctionCode {
    return new ImageCode(imageUri);
  }

  /**
   * What this code can run on: `nodejs` (built here for Node.js: fromEntry, fromBundleDir),
   * `any` (a prebuilt zip or S3 object: any runtime), `image` (no runtime).
   */
  abstract readonly runtimeFamily: 'nodejs' | 'any' | 'image';

  /** Called once by the function that uses this code; local code becomes an asset of `scope`. */
  abstract bind(scope: Construct, id: string): FunctionCodeConfig;
}

/** An ECR image URI: registry, repository, then a tag or a digest. */
export const ECR_IMAGE_URI_PATTERN = '^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$';

class ImageCode extends FunctionCode {
  readonly runtimeFamily = 'image' as const;
  constructor(private readonly imageUri: string) {
    super();
  }

  bind(): FunctionCodeConfig {
    if (typeof this.imageUri !== 'string' || (isLiteral(this.imageUri) && !new RegExp(ECR_IMAGE_URI_PATTERN).test(this.imageUri))) {
      throw new ConfigError('code', `fromImage(${JSON.stringify(this.imageUri)}): not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>)`);
    }
    // Said outright, so an image URI given as a Terraform expression still drops the handler and runtime.
    return { imageUri: this.imageUri, packageType: 'Image' };
  }
}

class LocalCode extends FunctionCode {
  get runtimeFamily(): 'nodejs' | 'any' {
    return this.kind === 'zip' ? 'any' : 'nodejs';
  }

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
  readonly runtimeFamily = 'nodejs' as const;
  constructor(
    private readonly entry: string,
    private readonly options: EntryBundleOptions,
  ) {
    super();
  }

  bind(scope: Construct, id: string): FunctionCodeConfig {
    const options = this.options;
    checkEntryOptions(options);
    const entry = resolve(this.entry);
    if (!existsSync(entry) || !statSync(entry).isFile()) {
      throw new ConfigError('code', `entry file ${this.entry} does not exist`);
    }
    const nodeModules = options.nodeModules?.length ? findNodeModulesInstall('code.nodeModules', entry, options.nodeModules) : undefined;
    const external = [...(options.externalModules ?? [...(options.bundleAwsSDK ? [] : AWS_SDK_EXTERNALS), ...ALWAYS_EXTERNAL]), ...(options.nodeModules ?? [])];
    let bundle;
    try {
      bundle = bundleEntry(entry, {
        target: options.target ?? 'node20',
        external: [...new Set(external)],
        minify: options.minify ?? true,
        ...(options.sourceMap ? { sourcemap: true } : {}),
        ...(nodeModules ? { nodeModules } : {}),
      });
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const first = (error as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? (error as Error).message;
      const sdk = /^Could not resolve "(@(?:aws-sdk|smithy)\/[^"]+)"/.exec(first)?.[1];
      throw new ConfigError('code', `esbuild could not bundle ${this.entry}: ${first}${sdk ? missingSdkHint(options, sdk) : ''}`);
    }
    return new LocalCode(bundle.dir, 'dir').bind(scope, id);
  }
}

class S3Code extends FunctionCode {
  readonly runtimeFamily = 'any' as const;
  constructor(private readonly config: FunctionCodeConfig) {
    super();
  }

  bind(): FunctionCodeConfig {
    if (!this.config.s3Bucket || !this.config.s3Key) throw new ConfigError('code', 'fromS3 needs a bucket and a key');
    return this.config;
  }
}
