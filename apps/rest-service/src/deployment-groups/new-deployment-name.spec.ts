import { newDeploymentName } from './new-deployment-name';

const base = { groupId: 'g', blueprintId: 'bp', count: 3, uuid: () => 'u-1' };

describe('newDeploymentName', () => {
  it('defaults to {group_id}-{uuid}', () => {
    expect(newDeploymentName(base)).toEqual({ id: 'g-u-1' });
  });

  it('fills every placeholder of a template, in the display name too', () => {
    expect(
      newDeploymentName({
        ...base,
        siteName: 'tlv',
        idTemplate: '{blueprint_id}-{site_name}-{count}',
        displayNameTemplate: 'dep {count} of {group_id}',
      }),
    ).toEqual({ id: 'bp-tlv-3', displayName: 'dep 3 of g' });
  });

  it('takes a given id as it is', () => {
    expect(newDeploymentName({ ...base, id: 'exact', idTemplate: '{uuid}' })).toEqual({
      id: 'exact',
    });
  });

  it('refuses a template without a variable part with 409', () => {
    expect(() => newDeploymentName({ ...base, idTemplate: '{group_id}-x' })).toThrow(
      /must contain a variable part/,
    );
  });

  it('ignores display names that are not strings (intrinsic functions)', () => {
    expect(newDeploymentName({ ...base, displayNameTemplate: { get_input: 'x' } })).toEqual({
      id: 'g-u-1',
    });
  });
});
