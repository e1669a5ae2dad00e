import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import {
  AdMarkers, DashProfile, DrmSystem, HlsEncryption, HlsEncryptionMethod, ManifestLayout, PackagingFormat, PackagingGroup,
  ScteMarkersSource, SegmentTemplateFormat, SpekeKeyProvider, StreamOrder, StreamSelection,
} from '../../src';

/** A plain description of a configuration, from which both the construct input and the expected output are built. */
interface Spec {
  format: 'hls' | 'dash' | 'cmaf' | 'mss';
  manifests: Array<{ name?: string; selection?: { min?: number; max?: number; order?: StreamOrder }; seconds?: number; enumIndex: number }>;
  segmentSeconds?: number;
  iv?: string;
  id?: string;
}

const INT32_MAX = 2147483647;

const selectionArb = fc.record({
  min: fc.option(fc.integer({ min: 0, max: INT32_MAX }), { nil: undefined }),
  max: fc.option(fc.integer({ min: 0, max: INT32_MAX }), { nil: undefined }),
  order: fc.option(fc.constantFrom(...Object.values(StreamOrder)), { nil: undefined }),
}, { requiredKeys: [] }).map(s => (s.min !== undefined && s.max !== undefined && s.min > s.max ? { ...s, min: s.max, max: s.min } : s));

const specArb: fc.Arbitrary<Spec> = fc.record({
  format: fc.constantFrom('hls' as const, 'dash' as const, 'cmaf' as const, 'mss' as const),
  manifests: fc.uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 4 }).chain(names =>
    fc.tuple(...names.map(name => fc.record({
      name: fc.constant(name),
      selection: fc.option(selectionArb, { nil: undefined }),
      seconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
      enumIndex: fc.nat(10),
    }, { requiredKeys: ['name', 'enumIndex'] })))),
  segmentSeconds: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  iv: fc.option(fc.hexaString({ minLength: 32, maxLength: 32 }), { nil: undefined }),
  id: fc.option(fc.stringMatching(/^[0-9a-zA-Z_-]{1,64}$/), { nil: undefined }),
}, { requiredKeys: ['format', 'manifests'] });

function pick<T>(values: T[], i: number): T {
  return values[i % values.length];
}

function selectionOf(s: Spec['manifests'][0]['selection']): StreamSelection | undefined {
  return s && { minVideoBitsPerSecond: s.min, maxVideoBitsPerSecond: s.max, streamOrder: s.order };
}

function formatOf(stack: Stack, spec: Spec): PackagingFormat {
  const segmentDuration = spec.segmentSeconds === undefined ? undefined : Duration.seconds(spec.segmentSeconds);
  const hlsManifests = spec.manifests.map(m => ({
    manifestName: m.name,
    adMarkers: pick(Object.values(AdMarkers), m.enumIndex),
    programDateTimeInterval: m.seconds === undefined ? undefined : Duration.seconds(m.seconds),
    streamSelection: selectionOf(m.selection),
  }));
  switch (spec.format) {
    case 'hls': {
      const keyProvider = new SpekeKeyProvider(stack, 'Keys', { url: 'https://keys.example.com/speke', systemIds: [DrmSystem.FAIRPLAY] });
      return PackagingFormat.hls({
        manifests: hlsManifests,
        segmentDuration,
        encryption: spec.iv === undefined ? undefined
          : HlsEncryption.speke({ keyProvider, method: HlsEncryptionMethod.SAMPLE_AES, constantInitializationVector: spec.iv }),
      });
    }
    case 'cmaf': return PackagingFormat.cmaf({ hlsManifests, segmentDuration });
    case 'dash': return PackagingFormat.dash({
      manifests: spec.manifests.map(m => ({
        manifestName: m.name,
        profile: pick(Object.values(DashProfile), m.enumIndex),
        manifestLayout: pick(Object.values(ManifestLayout), m.enumIndex),
        scteMarkersSource: pick(Object.values(ScteMarkersSource), m.enumIndex),
        minBufferTime: m.seconds === undefined ? undefined : Duration.seconds(m.seconds),
        streamSelection: selectionOf(m.selection),
      })),
      segmentDuration,
      segmentTemplateFormat: pick(Object.values(SegmentTemplateFormat), spec.manifests.length),
    });
    case 'mss': return PackagingFormat.mss({
      manifests: spec.manifests.map(m => ({ manifestName: m.name, streamSelection: selectionOf(m.selection) })),
      segmentDuration,
    });
  }
}

function synth(spec: Spec): any {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const group = new PackagingGroup(stack, 'Group', { packagingGroupId: 'vod' });
  group.addPackagingConfiguration('Config', { format: formatOf(stack, spec), packagingConfigurationId: spec.id });
  const configs = Template.fromStack(stack).findResources('AWS::MediaPackage::PackagingConfiguration');
  return Object.values(configs)[0].Properties;
}

const PACKAGE_KEY = { hls: 'HlsPackage', dash: 'DashPackage', cmaf: 'CmafPackage', mss: 'MssPackage' };
const MANIFESTS_KEY = { hls: 'HlsManifests', dash: 'DashManifests', cmaf: 'HlsManifests', mss: 'MssManifests' };

describe('PackagingConfiguration, property-based', () => {
  test('every valid configuration synthesizes, renders what was given and renders the same twice', () => {
    fc.assert(fc.property(specArb, spec => {
      const props = synth(spec);
      expect(Object.keys(props).filter(k => k.endsWith('Package'))).toEqual([PACKAGE_KEY[spec.format]]);
      const pkg = props[PACKAGE_KEY[spec.format]];
      const manifests = pkg[MANIFESTS_KEY[spec.format]];
      expect(manifests.map((m: any) => m.ManifestName)).toEqual(spec.manifests.map(m => m.name));
      spec.manifests.forEach((m, i) => {
        const selection = manifests[i].StreamSelection;
        if (m.selection) {
          expect(selection.MinVideoBitsPerSecond).toEqual(m.selection.min);
          expect(selection.MaxVideoBitsPerSecond).toEqual(m.selection.max);
        } else {
          expect(selection).toBeUndefined();
        }
      });
      expect(pkg.SegmentDurationSeconds).toEqual(spec.segmentSeconds);
      expect(props.Id).toMatch(/^[0-9a-zA-Z_-]{1,256}$/);
      if (spec.id !== undefined) { expect(props.Id).toEqual(spec.id); }
      expect(synth(spec)).toEqual(props);
    }), { numRuns: 60 });
  });

  /** Each violation breaks exactly one rule of an otherwise valid spec, and names the property path in its error. */
  const violations: Array<{ name: string; applies: (s: Spec) => boolean; apply: (s: Spec) => Spec; message: RegExp }> = [
    {
      name: 'no manifests',
      applies: () => true,
      apply: s => ({ ...s, manifests: [] }),
      message: /format\.(hlsM|m)anifests: give at least one manifest/,
    },
    {
      name: 'duplicate manifest name',
      applies: () => true,
      apply: s => ({ ...s, manifests: [...s.manifests, { ...s.manifests[0] }] }),
      message: /format\.(hlsM|m)anifests\[\d+\]\.manifestName: manifest names must be unique/,
    },
    {
      name: 'fractional segment duration',
      applies: () => true,
      apply: s => ({ ...s, segmentSeconds: 2.5 }),
      message: /format\.segmentDuration: must be a whole number of seconds/,
    },
    {
      name: 'zero segment duration',
      applies: () => true,
      apply: s => ({ ...s, segmentSeconds: 0 }),
      message: /format\.segmentDuration: must be between 1 and/,
    },
    {
      name: 'negative bitrate',
      applies: () => true,
      apply: s => ({ ...s, manifests: s.manifests.map((m, i) => (i === 0 ? { ...m, selection: { min: -1 } } : m)) }),
      message: /format\.(hlsM|m)anifests\[0\]\.streamSelection\.minVideoBitsPerSecond: must be an integer between 0 and 2147483647/,
    },
    {
      name: 'min above max',
      applies: () => true,
      apply: s => ({ ...s, manifests: s.manifests.map((m, i) => (i === 0 ? { ...m, selection: { min: 2, max: 1 } } : m)) }),
      message: /streamSelection\.minVideoBitsPerSecond: must not exceed maxVideoBitsPerSecond/,
    },
    {
      name: 'bad constant IV',
      applies: s => s.format === 'hls',
      apply: s => ({ ...s, iv: '0123' }),
      message: /format\.encryption\.constantInitializationVector: must be exactly 32 hexadecimal characters/,
    },
    {
      name: 'bad id',
      applies: () => true,
      apply: s => ({ ...s, id: 'has space' }),
      message: /packagingConfigurationId: may contain only letters, digits/,
    },
  ];

  test('every single-rule violation of a valid configuration is rejected with its property path', () => {
    fc.assert(fc.property(specArb, fc.nat(violations.length - 1), (spec, v) => {
      const violation = violations[v];
      fc.pre(violation.applies(spec));
      expect(() => synth(violation.apply(spec))).toThrow(violation.message);
    }), { numRuns: 80 });
  });
});
