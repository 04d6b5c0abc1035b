-- Jeton: shared by every script of RedisTokenStore (prepended to each one before it is loaded).
-- A family is one hash: s subject, c client id, o scopes (space-separated), j claims JSON (kept verbatim), ca created,
-- ex absolute expiry, g generation, h current hash, i idle expiry; while a grace window is open gp previous hash,
-- gs sealed successor, gu its end, gn uses, gc the last claim's nonce; once revoked ra when, rr why.
-- Instants are epoch milliseconds from Jeton's clock, passed in; no script reads the server's clock.
-- Every script reads and checks the whole record before it writes anything, so a malformed record is refused
-- with an error and left as it is.

local function malformed(field)
  error({err = 'JETON malformed family record: field ' .. field})
end

local function int(value, field)
  if type(value) ~= 'string' or #value > 16 or not string.match(value, '^%-?%d+$') then
    malformed(field)
  end
  return tonumber(value)
end

local REQUIRED = {'s', 'c', 'o', 'j', 'ca', 'ex', 'g', 'h', 'i'}
local GRACE = {'gp', 'gs', 'gu', 'gn'}

-- The family at key as a table of its fields (numbers in r.n), or nil if there is none.
local function load(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then
    return nil
  end
  local r = {n = {}}
  for k = 1, #flat, 2 do
    r[flat[k]] = flat[k + 1]
  end
  for _, field in ipairs(REQUIRED) do
    if r[field] == nil then
      malformed(field)
    end
  end
  r.n.ca = int(r.ca, 'ca')
  r.n.ex = int(r.ex, 'ex')
  r.n.g = int(r.g, 'g')
  r.n.i = int(r.i, 'i')
  if r.n.g < 0 then
    malformed('g')
  end
  if r.gp or r.gs or r.gu or r.gn then
    for _, field in ipairs(GRACE) do
      if r[field] == nil then
        malformed(field)
      end
    end
    r.n.gu = int(r.gu, 'gu')
    r.n.gn = int(r.gn, 'gn')
  end
  if r.ra or r.rr then
    if r.ra == nil or r.rr == nil then
      malformed('ra')
    end
    r.n.ra = int(r.ra, 'ra')
  end
  return r
end

-- FamilyRecord.isUsableAt: not revoked, before the absolute and the idle expiry.
local function usable(r, now)
  return r.ra == nil and now < r.n.ex and now < r.n.i
end

-- The record as it stands, behind a status: A applied, R refused.
local function answer(status, key)
  local flat = redis.call('HGETALL', key)
  table.insert(flat, 1, status)
  return flat
end

-- When purge must next look at a family: the end of its grace window, or else its absolute expiry.
local function due(r)
  if r.gu ~= nil and r.n.gu < r.n.ex then
    return r.gu
  end
  return r.ex
end

-- Puts member on the bucket's timeline at score. A timeline that is not a sorted set (garbage) is left alone: the
-- data still expires by itself, only an early purge misses it.
local function schedule(timeline, member, score)
  local kind = redis.call('TYPE', timeline)['ok']
  if kind == 'zset' or kind == 'none' then
    redis.call('ZADD', timeline, score, member)
  else
    redis.log(redis.LOG_WARNING, 'jeton: ' .. timeline .. ' is not a sorted set; not scheduling ' .. member)
  end
end

local function dropGrace(key)
  redis.call('HDEL', key, 'gp', 'gs', 'gu', 'gn', 'gc')
end
