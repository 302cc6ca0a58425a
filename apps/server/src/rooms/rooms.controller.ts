import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  type AttendanceResponse,
  type CreateRoomResponse,
  type RoomInfo,
  createRoomRequestSchema,
  normalizeRoomId,
  parsePayload,
} from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApiError } from '../http/http-errors';
import { MembershipStore } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { MeetingReportService } from '../quality/meeting-report.service';
import { AddressRateLimiter } from '../rate-limit/address-rate-limiter';
import type { RoomEntity } from '../database/entities';
import { RoomsService } from './rooms.service';

/** REST: create a meeting, look one up, and (host only) read its attendance and its report. */
@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly store: MembershipStore,
    private readonly limiter: AddressRateLimiter,
    private readonly metrics: MetricsService,
    private readonly reports: MeetingReportService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'rateLimits'>,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@Req() request: Request, @Body() body: unknown): Promise<CreateRoomResponse> {
    await this.limit('create', request, this.config.rateLimits.roomCreatePerMinute);
    const parsed = parsePayload(createRoomRequestSchema, body ?? {});
    if (!parsed.ok) {
      throw new ApiError(HttpStatus.BAD_REQUEST, { ...parsed.error, fields: parsed.fields });
    }
    const created = await this.rooms.create(parsed.value.name);
    this.metrics.roomsCreated.inc();
    return created;
  }

  @Get(':roomId')
  async info(@Req() request: Request, @Param('roomId') roomId: string): Promise<RoomInfo> {
    // Lookups count against the join budget: this is where ids would be guessed.
    await this.limit('join', request, this.config.rateLimits.joinPerMinute);
    const room = await this.findOr404(roomId);
    return {
      roomId: room.id,
      name: room.name,
      participants: room.endedAt ? 0 : await this.store.count(room.id),
      maxParticipants: room.maxParticipants,
      locked: room.locked,
      endedAt: room.endedAt?.toISOString() ?? null,
    };
  }

  @Get(':roomId/attendance')
  async attendance(
    @Req() request: Request,
    @Param('roomId') roomId: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<AttendanceResponse> {
    const hostKey = bearer(authorization);
    // A guesser could probe room ids here too: same budget as lookups, and an
    // unknown room answers exactly as a known room with the wrong key.
    await this.limit('join', request, this.config.rateLimits.joinPerMinute);
    const normalized = normalizeRoomId(roomId);
    const room = normalized ? await this.rooms.find(normalized) : null;
    if (!room || !this.rooms.isHostKey(room, hostKey)) {
      throw new ApiError(HttpStatus.FORBIDDEN, { code: 'FORBIDDEN', message: 'no meeting has this code and host key' });
    }
    return this.rooms.attendance(room);
  }

  /**
   * The host's meeting report (attendance, call quality, summaries), during
   * the meeting and after. An unknown room is a 404, as the lookup above
   * already answers for anyone; a wrong key is a 403. Gzipped when the
   * client takes it: a long meeting's samples are megabytes of JSON that
   * shrink about tenfold.
   */
  @Get(':roomId/report')
  async report(
    @Req() request: Request,
    @Res() response: Response,
    @Param('roomId') roomId: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<void> {
    const hostKey = bearer(authorization);
    await this.limit('join', request, this.config.rateLimits.joinPerMinute);
    const room = await this.findOr404(roomId);
    if (!this.rooms.isHostKey(room, hostKey)) {
      throw new ApiError(HttpStatus.FORBIDDEN, { code: 'FORBIDDEN', message: 'only the host key opens the meeting report' });
    }
    const body = Buffer.from(JSON.stringify(await this.reports.report(room)));
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    // The host's records: no shared cache keeps them.
    response.setHeader('Cache-Control', 'no-store');
    response.vary('Accept-Encoding');
    if (body.length < GZIP_FROM_BYTES || request.acceptsEncodings('gzip') !== 'gzip') {
      response.send(body);
      return;
    }
    response.setHeader('Content-Encoding', 'gzip');
    response.send(await gzipAsync(body));
  }

  private async findOr404(rawRoomId: string): Promise<RoomEntity> {
    const roomId = normalizeRoomId(rawRoomId);
    const room = roomId ? await this.rooms.find(roomId) : null;
    if (!room) throw new ApiError(HttpStatus.NOT_FOUND, { code: 'ROOM_NOT_FOUND', message: 'no meeting has this code' });
    return room;
  }

  private async limit(action: string, request: Request, perMinute: number): Promise<void> {
    const decision = await this.limiter.hit(action, request.ip ?? 'unknown', perMinute, 60_000);
    if (!decision.allowed) {
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        { code: 'RATE_LIMITED', message: `too many requests; retry in ${decision.retryAfterSeconds} s` },
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    }
  }
}

const gzipAsync = promisify(gzip);
/** Below this, the headers outweigh what compression saves. */
const GZIP_FROM_BYTES = 1024;

/** The host key of `Authorization: Bearer <hostKey>`; without one, a 401 that says how to send it. */
function bearer(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) {
    throw new ApiError(
      HttpStatus.UNAUTHORIZED,
      { code: 'FORBIDDEN', message: 'send the host key as Authorization: Bearer <hostKey>' },
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  return match[1];
}
