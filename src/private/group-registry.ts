import { Dependable, IConstruct, IDependable } from 'constructs';

/** What a packaging group knows of a configuration added to it (for group metrics and asset ordering). */
export interface ConfigurationRecord {
  /** The configuration's id (the value of the PackagingConfiguration dimension). */
  readonly packagingConfigurationId: string;
  /** The configuration construct. */
  readonly construct: IConstruct;
}

/** The internals of a packaging group of this library that its configurations and assets use. */
export interface GroupInternals {
  /** The configurations added to the group in this app, in order. */
  readonly configurations: ConfigurationRecord[];
  /**
   * All of them as one dependency, evaluated at synth (so it also covers configurations added later): assets are
   * created after them.
   */
  readonly configurationsDependable: IDependable;
}

/** The groups of this library (created or imported); another IPackagingGroup implementation has no entry. */
const registry = new WeakMap<IConstruct, GroupInternals>();

/** Registers a packaging group of this library; called once by its constructor. */
export function registerGroup(group: IConstruct): GroupInternals {
  const configurations: ConfigurationRecord[] = [];
  const configurationsDependable: IDependable = {};
  Dependable.implement(configurationsDependable, {
    get dependencyRoots() { return configurations.map(c => c.construct); },
  });
  const internals = { configurations, configurationsDependable };
  registry.set(group, internals);
  return internals;
}

/** The internals of `group`, or undefined when it is not a packaging group of this library. */
export function groupInternals(group: IConstruct): GroupInternals | undefined {
  return registry.get(group);
}
