import { parseLocation } from './sites.service';

describe('parseLocation', () => {
  it('reads "latitude,longitude" with or without spaces', () => {
    expect(parseLocation('32.071072,34.787274')).toEqual({
      latitude: 32.071072,
      longitude: 34.787274,
    });
    expect(parseLocation(' -90 , 180 ')).toEqual({ latitude: -90, longitude: 180 });
  });

  it.each(['', '1', '1,2,3', 'a,b', '91,0', '0,181', ',5'])('refuses %j', (location) => {
    expect(() => parseLocation(location)).toThrow(/Invalid location/);
  });
});
