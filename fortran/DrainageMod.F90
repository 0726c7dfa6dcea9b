!> Water table, aquifer and sub-surface drainage (CLM4.5 Drainage,
!! SoilHydrologyMod.F90; Oleson et al. 2013, sec. 7.6), plus CLM's explicit
!! routing of water above saturation and below the minimum, for an unfrozen
!! column.
!!
!! Aquifer lower boundary (bc_aquifer):
!!   * recharge qcharge moves the water table with the specific yield
!!     S_y = watsat (1 - (1 + zwt/sucsat)^(-1/B)) >= 0.02, and fills the
!!     aquifer store wa when the table is below the column;
!!   * topographic drainage rsub_top = rsub_top_max exp(-fdrai zwt) is taken
!!     from the saturated layers (or from the aquifer), deepening the table.
!! Other lower boundaries: the bottom flux of SoilWater is the drainage.
!!
!! Then, for every boundary: water above saturation in a layer moves up to
!! the layer above (the top layer's excess leaves as qflx_rsub_sat), and a
!! layer below watmin takes the shortfall from the layer beneath (the bottom
!! layer from the layers above it, and, if none has any, from drainage).
!! Every move is explicit and counted; nothing is clipped silently.
module DrainageMod

  use shr_kind_mod,         only: r8 => shr_kind_r8
  use InfiltrationMod,      only: watmin
  use SoilWaterMovementMod, only: bc_aquifer

  implicit none
  private

  public :: Drainage

  real(r8), parameter, public :: wa_max  = 5000._r8   !< aquifer store above which water returns to the soil [mm]
  real(r8), parameter, public :: zwt_max = 80._r8     !< deepest water table [m]

contains

  subroutine Drainage(dtime, lower_bc, zisoi, dzsoi, watsat, sucsat, bsw, rsub_top_max, &
       fdrai, qcharge, jwt, h2osoi_liq, zwt, wa, qflx_drain, qflx_rsub_sat)
    real(r8), intent(in)    :: dtime             !< time step [s]
    integer,  intent(in)    :: lower_bc          !< lower boundary (SoilWaterMovementMod)
    real(r8), intent(in), contiguous :: zisoi(:,0:)       !< interfaces (ncol, 0:nlev) [m]
    real(r8), intent(in), contiguous :: dzsoi(:,:)        !< thickness (ncol, nlev) [m]
    real(r8), intent(in), contiguous :: watsat(:,:)       !< porosity [m3 m-3]
    real(r8), intent(in), contiguous :: sucsat(:,:)       !< |saturated potential| [mm]
    real(r8), intent(in), contiguous :: bsw(:,:)          !< Clapp-Hornberger B [-]
    real(r8), intent(in), contiguous :: rsub_top_max(:)   !< drainage with the table at the surface (ncol) [mm s-1]
    real(r8), intent(in), contiguous :: fdrai(:)          !< decay of drainage with table depth (ncol) [m-1]
    real(r8), intent(in), contiguous :: qcharge(:)        !< flux across the column bottom (ncol) [mm s-1]
    integer,  intent(inout), contiguous :: jwt(:)            !< layer above the water table (ncol)
    real(r8), intent(inout), contiguous :: h2osoi_liq(:,:)   !< liquid water (ncol, nlev) [mm]
    real(r8), intent(inout), contiguous :: zwt(:)            !< water table depth (ncol) [m]
    real(r8), intent(inout), contiguous :: wa(:)             !< aquifer water (ncol) [mm]
    real(r8), intent(out), contiguous :: qflx_drain(:)     !< sub-surface drainage (ncol) [mm s-1]
    real(r8), intent(out), contiguous :: qflx_rsub_sat(:)  !< drainage of water above saturation (ncol) [mm s-1]

    integer  :: c, j, i, n
    real(r8) :: rous, s_y, qtot, qlayer, rsub_top, rsub_tot, xs, avail, dzmm

    n = size(h2osoi_liq, 2)
    do c = 1, size(h2osoi_liq, 1)
       if (lower_bc == bc_aquifer) then
          ! --- water table moved by recharge ---------------------------------
          rous = specific_yield(c, n)
          if (jwt(c) == n) then
             wa(c) = wa(c) + qcharge(c) * dtime
             zwt(c) = zwt(c) - (qcharge(c) * dtime) / 1000._r8 / rous
          else
             qtot = qcharge(c) * dtime
             if (qtot > 0._r8) then      ! rising water table
                do j = jwt(c) + 1, 1, -1
                   s_y = specific_yield(c, j)
                   qlayer = max(0._r8, min(qtot, s_y * (zwt(c) - zisoi(c,j-1)) * 1000._r8))
                   zwt(c) = zwt(c) - qlayer / s_y / 1000._r8
                   qtot = qtot - qlayer
                   if (qtot <= 0._r8) exit
                end do
             else                        ! falling water table
                call deepen_table(c, qtot, .false.)
                if (qtot > 0._r8) zwt(c) = zwt(c) - qtot / 1000._r8 / rous
             end if
             jwt(c) = layer_above_table(c)
          end if

          ! --- topographic drainage ------------------------------------------
          rsub_top = rsub_top_max(c) * exp(-fdrai(c) * zwt(c))
          rous = specific_yield(c, n)
          if (jwt(c) == n) then
             wa(c) = wa(c) - rsub_top * dtime
             zwt(c) = zwt(c) + (rsub_top * dtime) / 1000._r8 / rous
             ! a full aquifer returns its excess to the bottom layer
             h2osoi_liq(c,n) = h2osoi_liq(c,n) + max(0._r8, wa(c) - wa_max)
             wa(c) = min(wa(c), wa_max)
          else
             rsub_tot = -rsub_top * dtime
             call deepen_table(c, rsub_tot, .true.)
             ! what the layers could not give comes from the aquifer
             zwt(c) = zwt(c) - rsub_tot / 1000._r8 / rous
             wa(c) = wa(c) + rsub_tot
             jwt(c) = layer_above_table(c)
          end if
          zwt(c) = max(0._r8, min(zwt_max, zwt(c)))
       else
          rsub_top = qcharge(c)
       end if

       ! --- water above saturation moves up; the top layer's excess drains ---
       do j = n, 2, -1
          dzmm = dzsoi(c,j) * 1000._r8
          xs = max(h2osoi_liq(c,j) - watsat(c,j) * dzmm, 0._r8)
          h2osoi_liq(c,j) = h2osoi_liq(c,j) - xs
          h2osoi_liq(c,j-1) = h2osoi_liq(c,j-1) + xs
       end do
       dzmm = dzsoi(c,1) * 1000._r8
       xs = max(h2osoi_liq(c,1) - watsat(c,1) * dzmm, 0._r8)
       h2osoi_liq(c,1) = h2osoi_liq(c,1) - xs
       qflx_rsub_sat(c) = xs / dtime

       ! --- layers below watmin take water from below (or from above) ---------
       do j = 1, n - 1
          if (h2osoi_liq(c,j) < watmin) then
             xs = watmin - h2osoi_liq(c,j)
             if (lower_bc == bc_aquifer .and. j == jwt(c)) then
                zwt(c) = zwt(c) + xs / watsat(c,j) / 1000._r8
             end if
             h2osoi_liq(c,j) = h2osoi_liq(c,j) + xs
             h2osoi_liq(c,j+1) = h2osoi_liq(c,j+1) - xs
          end if
       end do
       xs = 0._r8
       if (h2osoi_liq(c,n) < watmin) then
          xs = watmin - h2osoi_liq(c,n)
          do i = n - 1, 1, -1
             avail = max(h2osoi_liq(c,i) - watmin - xs, 0._r8)
             if (avail >= xs) then
                h2osoi_liq(c,n) = h2osoi_liq(c,n) + xs
                h2osoi_liq(c,i) = h2osoi_liq(c,i) - xs
                xs = 0._r8
                exit
             else
                h2osoi_liq(c,n) = h2osoi_liq(c,n) + avail
                h2osoi_liq(c,i) = h2osoi_liq(c,i) - avail
                xs = xs - avail
             end if
          end do
          ! no water anywhere: the shortfall is taken back from drainage
          h2osoi_liq(c,n) = h2osoi_liq(c,n) + xs
       end if
       rsub_top = rsub_top - xs / dtime
       qflx_drain(c) = rsub_top + qflx_rsub_sat(c)
    end do

  contains

    !> Specific yield of layer jj at the current water table [-] (>= 0.02).
    real(r8) function specific_yield(cc, jj) result(sy)
      integer, intent(in) :: cc, jj
      sy = watsat(cc,jj) * (1._r8 - (1._r8 + 1.e3_r8 * zwt(cc) / sucsat(cc,jj))**(-1._r8 / bsw(cc,jj)))
      sy = max(sy, 0.02_r8)
    end function specific_yield

    !> Lower the water table through the layers below it by a water amount
    !! total (< 0) [mm] at each layer's specific yield; with take, the water
    !! is also removed from those layers (never below watmin). On return,
    !! total holds what the layers did not absorb (< 0) or >= 0.
    subroutine deepen_table(cc, total, take)
      integer,  intent(in)    :: cc
      real(r8), intent(inout) :: total
      logical,  intent(in)    :: take
      integer  :: jj
      real(r8) :: sy, ql
      do jj = jwt(cc) + 1, n
         sy = specific_yield(cc, jj)
         ql = min(0._r8, max(total, -(sy * (zisoi(cc,jj) - zwt(cc)) * 1000._r8)))
         if (take) then
            ql = max(ql, -max(0._r8, h2osoi_liq(cc,jj) - watmin))
            h2osoi_liq(cc,jj) = h2osoi_liq(cc,jj) + ql
         end if
         total = total - ql
         if (total >= 0._r8) then
            zwt(cc) = zwt(cc) - ql / sy / 1000._r8
            exit
         else
            zwt(cc) = zisoi(cc,jj)
         end if
      end do
    end subroutine deepen_table

    !> Index of the layer just above the water table (0 if in layer 1).
    integer function layer_above_table(cc) result(jj)
      integer, intent(in) :: cc
      integer :: k
      jj = n
      do k = 1, n
         if (zwt(cc) <= zisoi(cc,k)) then
            jj = k - 1
            exit
         end if
      end do
    end function layer_above_table

  end subroutine Drainage

end module DrainageMod
