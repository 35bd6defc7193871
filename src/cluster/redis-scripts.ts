/**
 * Lua scripts of the Redis holder directory; each runs atomically. Keys under one prefix:
 * `holders` (hash key → "instance provenAt protocol"), `node:<id>` (an instance's lease),
 * `nodes` (instance ids), `keys:<id>` (the keys an instance holds) and `transit:<key>` (a key whose
 * holder is moving, with the reconnect grace as its expiry). Times are Redis's own
 * clock, in microseconds.
 */

/** ARGV: prefix, keyId, instance, provenAt ('0' for now), protocol → {won, replaced, provenAt}. */
export const CLAIM = `
local p, key, me = ARGV[1], ARGV[2], ARGV[3]
local proven = tonumber(ARGV[4])
if proven == 0 then
  local t = redis.call('TIME')
  proven = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local replaced = ''
local current = redis.call('HGET', p .. ':holders', key)
if current then
  local owner, at = string.match(current, '^(%S+) (%d+)')
  if owner ~= me then
    if redis.call('EXISTS', p .. ':node:' .. owner) == 1 then
      if tonumber(at) > proven then return {0, owner, tostring(proven)} end
      replaced = owner
    end
    redis.call('SREM', p .. ':keys:' .. owner, key)
  end
end
redis.call('DEL', p .. ':transit:' .. key)
redis.call('HSET', p .. ':holders', key, me .. ' ' .. string.format('%.0f', proven) .. ' ' .. ARGV[5])
redis.call('SADD', p .. ':keys:' .. me, key)
return {1, replaced, string.format('%.0f', proven)}
`;

/** ARGV: prefix, keyId, instance. */
export const RELEASE = `
local p, key, me = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HGET', p .. ':holders', key)
if current and string.match(current, '^(%S+)') == me then redis.call('HDEL', p .. ':holders', key) end
redis.call('SREM', p .. ':keys:' .. me, key)
return 1
`;

/** ARGV: prefix, keyId → "instance protocol" when that instance holds a lease, else false. */
export const LOCATE = `
local p = ARGV[1]
local current = redis.call('HGET', p .. ':holders', ARGV[2])
if not current then return false end
local owner, protocol = string.match(current, '^(%S+) %d+ (%S+)')
if redis.call('EXISTS', p .. ':node:' .. owner) == 0 then return false end
return owner .. ' ' .. protocol
`;

/** ARGV: prefix → {live instances, holders on them}; forgets instances whose lease is gone. */
export const CENSUS = `
local p = ARGV[1]
local live, holders = 0, 0
for _, id in ipairs(redis.call('SMEMBERS', p .. ':nodes')) do
  if redis.call('EXISTS', p .. ':node:' .. id) == 1 then
    live = live + 1
    holders = holders + redis.call('SCARD', p .. ':keys:' .. id)
  else
    for _, key in ipairs(redis.call('SMEMBERS', p .. ':keys:' .. id)) do
      local current = redis.call('HGET', p .. ':holders', key)
      if current and string.match(current, '^(%S+)') == id then redis.call('HDEL', p .. ':holders', key) end
    end
    redis.call('DEL', p .. ':keys:' .. id)
    redis.call('SREM', p .. ':nodes', id)
  end
end
return {live, holders}
`;

/** ARGV: prefix, instance, ttlMs: renews the lease. */
export const RENEW = `
redis.call('SET', ARGV[1] .. ':node:' .. ARGV[2], '1', 'PX', ARGV[3])
redis.call('SADD', ARGV[1] .. ':nodes', ARGV[2])
return 1
`;

/** ARGV: prefix, instance: removes the lease and every entry still the instance's. */
export const RETIRE = `
local p, me = ARGV[1], ARGV[2]
for _, key in ipairs(redis.call('SMEMBERS', p .. ':keys:' .. me)) do
  local current = redis.call('HGET', p .. ':holders', key)
  if current and string.match(current, '^(%S+)') == me then redis.call('HDEL', p .. ':holders', key) end
end
redis.call('DEL', p .. ':keys:' .. me, p .. ':node:' .. me)
redis.call('SREM', p .. ':nodes', me)
return 1
`;
