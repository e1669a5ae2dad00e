export * from './packaging-group';
